import { chromium, type Browser } from '@playwright/test';

/**
 * Debian's Chromium as every browser test and benchmark launches it: fake camera and microphone, no
 * permission prompts, and nothing that reaches beyond this machine. The background-networking flags
 * stop update and sync traffic; the host-resolver rule stops the DNS lookups Chromium still makes for
 * Google services (127.0.0.1 stays resolvable, or TURN over TCP to it fails); without mDNS host
 * candidates there is no multicast socket on 224.0.0.251 (an strace of a test run showed both).
 * CHROMIUM_PATH overrides the binary (hosted CI: .github/workflows/desktop.yml installs Chrome for Testing).
 * Three fake cameras, so a call can switch cameras live: fake_device_0 (the default) and fake_device_2
 * give ordinary frames; fake_device_1 is Chromium's Y16 depth fake, which WebRTC cannot encode.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--use-fake-device-for-media-stream=device-count=3',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

/** A headless Chromium with these flags. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}
