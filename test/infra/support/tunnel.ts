import WebSocket from 'ws';

/**
 * A raw engine.io session over WebSocket (`/socket.io/?EIO=4&transport=websocket`): what every client's
 * socket.io connection starts with, without logging in. The node keeps it open (answering pings) until
 * its connect timeout (45 s), so it stands for a long-lived client connection through the front.
 */
export interface Tunnel {
  /** The engine.io session id the node gave it. */
  sid: string;
  open(): boolean;
  /** Resolves when the connection has closed (the node went away, or close()). */
  closed: Promise<void>;
  close(): void;
}

export function openTunnel(baseUrl: string, timeoutMs = 10_000): Promise<Tunnel> {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { handshakeTimeout: timeoutMs });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) => reject(new Error(`WebSocket refused: HTTP ${response.statusCode}`)));
    socket.on('message', (data: WebSocket.RawData) => {
      const packet = data.toString();
      if (packet === '2') socket.send('3'); // ping -> pong
      if (packet.startsWith('0')) {
        const { sid } = JSON.parse(packet.slice(1)) as { sid: string };
        socket.off('error', reject);
        socket.on('error', () => undefined); // a node killed under it: `closed` reports that
        resolve({ sid, open: () => socket.readyState === WebSocket.OPEN, closed, close: () => socket.close() });
      }
    });
  });
}
