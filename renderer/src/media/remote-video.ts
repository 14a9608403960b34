/**
 * Follows whether the other side's video arrives in `stream`: tracks come and go, and a track is muted
 * while nothing is sent (camera off, hold, a three-way call). Calls `report` with the answer now and after
 * every change; `report` is ignored once `current()` says the stream is no longer the call's.
 */
export function followRemoteVideo(stream: MediaStream, current: () => boolean, report: (hasVideo: boolean) => void): void {
  const refresh = () => {
    if (current()) report(stream.getVideoTracks().some((track) => track.readyState === 'live' && !track.muted));
  };
  const watch = (track: MediaStreamTrack) => {
    track.addEventListener('mute', refresh);
    track.addEventListener('unmute', refresh);
    track.addEventListener('ended', refresh);
  };
  stream.getTracks().forEach(watch);
  stream.addEventListener('addtrack', (event) => {
    watch(event.track);
    refresh();
  });
  stream.addEventListener('removetrack', refresh);
  refresh();
}
