/** Preflight (test call) checks: microphone level, speaker tone, and a loopback ICE check. */

export interface IceCheckResult {
  connected: boolean;
  /** Time from creating the offer to ICE 'connected'. */
  elapsedMs: number;
  /** Local candidate type of the selected pair (host, srflx, prflx, relay) when connected. */
  candidateType: string | null;
  error: string | null;
}

/**
 * Connects two RTCPeerConnections in this page through the configured ICE servers and reports
 * whether ICE connects and how fast. With a relay-only policy it proves the TURN server works.
 */
export async function loopbackIceCheck(iceServers: RTCIceServer[], timeoutMs = 10_000, policy: RTCIceTransportPolicy = 'all'): Promise<IceCheckResult> {
  const config: RTCConfiguration = { iceServers, iceTransportPolicy: policy };
  const a = new RTCPeerConnection(config);
  const b = new RTCPeerConnection(config);
  const started = performance.now();
  a.onicecandidate = (e) => e.candidate && void b.addIceCandidate(e.candidate).catch(() => undefined);
  b.onicecandidate = (e) => e.candidate && void a.addIceCandidate(e.candidate).catch(() => undefined);
  a.createDataChannel('preflight');
  try {
    const connected = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no connection within ${timeoutMs} ms`)), timeoutMs);
      a.oniceconnectionstatechange = () => {
        if (a.iceConnectionState === 'connected' || a.iceConnectionState === 'completed') {
          clearTimeout(timer);
          resolve();
        } else if (a.iceConnectionState === 'failed') {
          clearTimeout(timer);
          reject(new Error('ICE failed'));
        }
      };
    });
    const offer = await a.createOffer();
    await a.setLocalDescription(offer);
    await b.setRemoteDescription(offer);
    const answer = await b.createAnswer();
    await b.setLocalDescription(answer);
    await a.setRemoteDescription(answer);
    await connected;
    const elapsedMs = Math.round(performance.now() - started);
    return { connected: true, elapsedMs, candidateType: await selectedCandidateType(a), error: null };
  } catch (error) {
    return { connected: false, elapsedMs: Math.round(performance.now() - started), candidateType: null, error: error instanceof Error ? error.message : String(error) };
  } finally {
    a.close();
    b.close();
  }
}

async function selectedCandidateType(pc: RTCPeerConnection): Promise<string | null> {
  const stats = await pc.getStats();
  let pairId: string | null = null;
  stats.forEach((s: { type: string; selectedCandidatePairId?: string }) => {
    if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
  });
  if (!pairId) return null;
  const pair = stats.get(pairId) as { localCandidateId?: string } | undefined;
  const local = pair?.localCandidateId ? (stats.get(pair.localCandidateId) as { candidateType?: string } | undefined) : undefined;
  return local?.candidateType ?? null;
}

/** Calls `onLevel` (0-1, RMS) about 20 times a second until the returned stop function is called. */
export function watchMicLevel(stream: MediaStream, onLevel: (level: number) => void): () => void {
  const ctx = new AudioContext();
  const source = ctx.createMediaStreamSource(stream);
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 1024;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const s of samples) sum += s * s;
    onLevel(Math.min(1, Math.sqrt(sum / samples.length) * 4));
  }, 50);
  return () => {
    clearInterval(timer);
    void ctx.close().catch(() => undefined);
  };
}
