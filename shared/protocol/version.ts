/** Semantic version of the wire protocol. Clients send it in the handshake; another major is refused. */
export const PROTOCOL_VERSION = '1.3.0';

export function protocolMajor(version: string): number | undefined {
  const match = /^(\d+)\.\d+\.\d+$/.exec(version);
  return match ? Number(match[1]) : undefined;
}

export function isCompatibleProtocol(clientVersion: string, serverVersion: string = PROTOCOL_VERSION): boolean {
  const client = protocolMajor(clientVersion);
  return client !== undefined && client === protocolMajor(serverVersion);
}
