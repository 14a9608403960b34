/** Media devices: listing, hot-plug, and opening the microphone and camera with a fallback to the default. */

export interface DeviceLists {
  microphones: MediaDeviceInfo[];
  cameras: MediaDeviceInfo[];
  speakers: MediaDeviceInfo[];
}

export async function listDevices(): Promise<DeviceLists> {
  const all = await navigator.mediaDevices.enumerateDevices();
  return {
    microphones: all.filter((d) => d.kind === 'audioinput'),
    cameras: all.filter((d) => d.kind === 'videoinput'),
    speakers: all.filter((d) => d.kind === 'audiooutput'),
  };
}

/** Calls `onChange` with fresh lists whenever a device is plugged in or removed. Returns an unsubscribe function. */
export function watchDevices(onChange: (lists: DeviceLists) => void): () => void {
  const handler = () => void listDevices().then(onChange);
  navigator.mediaDevices.addEventListener('devicechange', handler);
  return () => navigator.mediaDevices.removeEventListener('devicechange', handler);
}

/** The chosen device if it is still present, else null (the system default). */
export function availableOrDefault(preferredId: string | null, devices: MediaDeviceInfo[]): string | null {
  if (!preferredId) return null;
  return devices.some((d) => d.deviceId === preferredId) ? preferredId : null;
}

/** Every distinct output (by group), for 'ring on all outputs'. 'default' and 'communications' are aliases and are skipped. */
export function distinctOutputs(speakers: MediaDeviceInfo[]): string[] {
  const seenGroups = new Set<string>();
  const ids: string[] = [];
  for (const speaker of speakers) {
    if (speaker.deviceId === 'default' || speaker.deviceId === 'communications') continue;
    if (speaker.groupId && seenGroups.has(speaker.groupId)) continue;
    if (speaker.groupId) seenGroups.add(speaker.groupId);
    ids.push(speaker.deviceId);
  }
  return ids;
}

function constraint(deviceId: string | null): MediaTrackConstraints | true {
  return deviceId ? { deviceId: { exact: deviceId } } : true;
}

const VIDEO_SHAPE: MediaTrackConstraints = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };

/** Opens one microphone track; falls back to the default microphone when the chosen one is gone. */
export async function openMicrophone(deviceId: string | null): Promise<MediaStreamTrack> {
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: constraint(deviceId) });
    return stream.getAudioTracks()[0]!;
  } catch (error) {
    if (!deviceId) throw error;
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    return stream.getAudioTracks()[0]!;
  }
}

/** Opens one camera track; falls back to the default camera when the chosen one is gone. */
export async function openCamera(deviceId: string | null): Promise<MediaStreamTrack> {
  const shaped = (id: string | null): MediaTrackConstraints => (id ? { ...VIDEO_SHAPE, deviceId: { exact: id } } : VIDEO_SHAPE);
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ video: shaped(deviceId) });
    return stream.getVideoTracks()[0]!;
  } catch (error) {
    if (!deviceId) throw error;
    const stream = await navigator.mediaDevices.getUserMedia({ video: shaped(null) });
    return stream.getVideoTracks()[0]!;
  }
}

/** HTMLMediaElement with setSinkId (Chromium; present in lib.dom of newer TypeScript). */
type SinkableElement = HTMLMediaElement & { setSinkId?: (sinkId: string) => Promise<void> };

/** Routes an element's audio to an output device; a vanished device falls back to the default. */
export async function routeToOutput(element: HTMLMediaElement, deviceId: string | null): Promise<void> {
  const sinkable = element as SinkableElement;
  if (!sinkable.setSinkId) return;
  try {
    await sinkable.setSinkId(deviceId ?? '');
  } catch {
    await sinkable.setSinkId('').catch(() => undefined);
  }
}
