import { TaskChooseOrganization, TaskResetPassword, TaskSetupMFA, useSession } from "@clerk/react";

const tasks = {
  "choose-organization": TaskChooseOrganization,
  "reset-password": TaskResetPassword,
  "setup-mfa": TaskSetupMFA,
};

/**
 * A session Clerk keeps pending until the user finishes a task: since 2025-08 "membership required" is the
 * default for organizations, so a user must choose or create one first. Clerk's hooks count a pending
 * session as signed out; this shows Clerk's own screen for the task instead.
 */
export function PendingSession() {
  const { session } = useSession();
  const task = session?.currentTask?.key;
  if (task === undefined || session?.status !== "pending") return null;
  const Task = tasks[task];
  return (
    <article className="card">
      <Task redirectUrlComplete="/" />
    </article>
  );
}
