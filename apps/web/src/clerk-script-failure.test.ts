import { afterEach, describe, expect, it, vi } from "vitest";
import { onClerkScriptFailure } from "./clerk-script-failure.ts";

// happy-dom has no PromiseRejectionEvent; a cancelable Event carrying `reason` is what the listener reads.
function unhandledRejection(reason: unknown): Event {
  return Object.assign(new Event("unhandledrejection", { cancelable: true }), { reason });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("onClerkScriptFailure", () => {
  it("reports Clerk's script failure, logs it and keeps it from surfacing as uncaught", () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const onFailure = vi.fn();
    const stop = onClerkScriptFailure(onFailure);

    const event = unhandledRejection({ code: "failed_to_load_clerk_js", message: "Failed to load Clerk JS" });
    window.dispatchEvent(event);
    stop();

    expect(onFailure).toHaveBeenCalledTimes(1);
    expect(event.defaultPrevented).toBe(true);
    expect(console.error).toHaveBeenCalledWith(expect.objectContaining({ code: "failed_to_load_clerk_js" }));
  });

  it("leaves every other unhandled rejection alone", () => {
    const onFailure = vi.fn();
    const stop = onClerkScriptFailure(onFailure);

    const event = unhandledRejection(new Error("something else"));
    window.dispatchEvent(event);
    stop();

    expect(onFailure).not.toHaveBeenCalled();
    expect(event.defaultPrevented).toBe(false);
  });

  it("stops listening once unsubscribed", () => {
    const onFailure = vi.fn();
    onClerkScriptFailure(onFailure)();

    window.dispatchEvent(unhandledRejection({ code: "failed_to_load_clerk_js" }));

    expect(onFailure).not.toHaveBeenCalled();
  });
});
