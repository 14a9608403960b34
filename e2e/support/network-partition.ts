import { execFileSync } from 'node:child_process';
import { chromium, type Browser, type BrowserServer } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/support/chromium';

/**
 * A second Chromium whose network can be cut: Chromium does all of its networking (WebRTC's UDP
 * sockets, the signalling WebSocket, HTTP) in one utility process, the network service. Stopping
 * that process with SIGSTOP is a real network partition for this browser and nothing else: no
 * packet leaves or arrives, so the other side's ICE consent checks go unanswered and its ICE
 * state goes to disconnected. SIGCONT heals the partition. (DevTools network emulation cannot do
 * this: it does not apply to WebRTC.) Linux only.
 */
export class PartitionableBrowser {
  private constructor(
    private readonly server: BrowserServer,
    readonly browser: Browser,
  ) {}

  static async launch(): Promise<PartitionableBrowser> {
    const server = await chromium.launchServer({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
    const browser = await chromium.connect(server.wsEndpoint());
    return new PartitionableBrowser(server, browser);
  }

  private networkServicePid(): number {
    const browserPid = this.server.process().pid;
    if (!browserPid) throw new Error('the browser process has no pid');
    const lines = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(browserPid)], { encoding: 'utf8' }).split('\n');
    const line = lines.find((l) => l.includes('--utility-sub-type=network.mojom.NetworkService'));
    if (!line) throw new Error(`no network service process under ${browserPid}:\n${lines.join('\n')}`);
    return Number(line.trim().split(/\s+/)[0]);
  }

  /** Cuts this browser off the network until heal(). */
  cut(): void {
    process.kill(this.networkServicePid(), 'SIGSTOP');
  }

  heal(): void {
    process.kill(this.networkServicePid(), 'SIGCONT');
  }

  async close(): Promise<void> {
    try {
      this.heal();
    } catch {
      // already gone
    }
    await this.browser.close();
    await this.server.close();
  }
}
