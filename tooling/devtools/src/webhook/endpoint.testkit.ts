/** A local endpoint that verifies deliveries the way the Convex HTTP action does, for the webhook:send tests. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseClerkEvent } from "@repo/backend/clerk/parse";
import { Webhook } from "svix";

export const endpointSecret = `whsec_${Buffer.from("a test signing secret, 32 bytes!").toString("base64")}`;

export type Delivery = { svixId: string; signature: string; body: string };

export type Endpoint = { url: string; deliveries: Delivery[]; close: () => Promise<void> };

/** Verifies with svix on the raw text (400 on any failure), then parses the event; 200 when both pass. */
export async function startEndpoint(): Promise<Endpoint> {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => {
      const headers = {
        "svix-id": String(request.headers["svix-id"]),
        "svix-timestamp": String(request.headers["svix-timestamp"]),
        "svix-signature": String(request.headers["svix-signature"]),
      };
      try {
        new Webhook(endpointSecret).verify(body, headers);
      } catch {
        response.writeHead(400, { "content-type": "text/plain" }).end("Invalid webhook signature");
        return;
      }
      if (parseClerkEvent(body).kind !== "event") {
        response.writeHead(422, { "content-type": "text/plain" }).end("Not a Clerk user event");
        return;
      }
      deliveries.push({ svixId: headers["svix-id"], signature: headers["svix-signature"], body });
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/clerk-users-webhook`,
    deliveries,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
