import net from 'node:net';

/**
 * A TCP port on 127.0.0.1 that nothing listens on right now, chosen by the kernel. Tests and benchmarks use it
 * instead of a fixed number: fixed ports in the ephemeral range (32768–60999) can be held by any
 * outgoing connection of a parallel test, which once made an embedded PostgreSQL fail to bind.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const port = (probe.address() as net.AddressInfo).port;
      probe.close(() => resolve(port));
    });
  });
}
