import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** JWT_SECRET from the environment, else the secret generated on first start and kept in DATA_DIR/jwt-secret (0600). */
export function resolveJwtSecret(envSecret: string | undefined, dataDir: string): Uint8Array {
  if (envSecret) return new TextEncoder().encode(envSecret);
  const file = join(dataDir, 'jwt-secret');
  if (!existsSync(file)) {
    // 'wx' fails if another process created it meanwhile; then we read theirs.
    try {
      writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(file, 0o600);
  return new TextEncoder().encode(readFileSync(file, 'utf8').trim());
}
