import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

/** Everything the provider stand-ins and the server under test need, made fresh by each test file. */
export interface TestCredentials {
  dir: string;
  /** Self-signed certificate for 127.0.0.1, used by both stand-ins and trusted by the clients. */
  tls: { key: string; cert: string; certFile: string };
  apns: { keyFile: string; keyId: string; teamId: string; bundleId: string; publicKey: KeyObject };
  fcm: { serviceAccountFile: string; projectId: string; clientEmail: string; privateKeyId: string; tokenUri: string; publicKey: KeyObject };
  /** Server environment that turns both providers on (add PUSH_ENDPOINT_OVERRIDE). */
  env: Record<string, string>;
  remove(): void;
}

export async function createTestCredentials(): Promise<TestCredentials> {
  const dir = mkdtempSync(join(tmpdir(), 'push-test-'));
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  const certFile = join(dir, 'stand-in-ca.pem');
  writeFileSync(certFile, pems.cert);

  // APNs signing key: a P-256 key in a .p8 (PKCS#8 PEM) file, as Apple issues it.
  const apnsPair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyFile = join(dir, 'AuthKey_TESTKEY123.p8');
  writeFileSync(keyFile, apnsPair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
  const apns = { keyFile, keyId: 'TESTKEY123', teamId: 'TEAM123456', bundleId: 'com.example.softphone', publicKey: apnsPair.publicKey };

  // FCM: a Google service-account JSON key with an RSA private key.
  const rsaPair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const projectId = 'softphone-test';
  const clientEmail = `push@${projectId}.iam.gserviceaccount.com`;
  const privateKeyId = randomUUID().replaceAll('-', '');
  const tokenUri = 'https://oauth2.googleapis.com/token';
  const serviceAccountFile = join(dir, 'service-account.json');
  writeFileSync(
    serviceAccountFile,
    JSON.stringify({
      type: 'service_account',
      project_id: projectId,
      private_key_id: privateKeyId,
      private_key: rsaPair.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      client_email: clientEmail,
      client_id: '1234567890',
      token_uri: tokenUri,
    }),
    { mode: 0o600 },
  );

  return {
    dir,
    tls: { key: pems.private, cert: pems.cert, certFile },
    apns,
    fcm: { serviceAccountFile, projectId, clientEmail, privateKeyId, tokenUri, publicKey: rsaPair.publicKey },
    env: {
      APNS_KEY_FILE: keyFile,
      APNS_KEY_ID: apns.keyId,
      APNS_TEAM_ID: apns.teamId,
      APNS_BUNDLE_ID: apns.bundleId,
      APNS_ENV: 'sandbox',
      FCM_SERVICE_ACCOUNT_FILE: serviceAccountFile,
      // The spawned server trusts the stand-ins' self-signed certificate, and nothing else changes.
      NODE_EXTRA_CA_CERTS: certFile,
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
