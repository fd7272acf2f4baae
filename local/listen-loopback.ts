import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Listens on 127.0.0.1 only (nothing the offline mode serves is meant for another machine) and
 * resolves the bound port (`port` 0 picks a free one); rejects when the port cannot be bound.
 */
export function listenOnLoopback(server: Server, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolvePort((server.address() as AddressInfo).port);
    });
  });
}
