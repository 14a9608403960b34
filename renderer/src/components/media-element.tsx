import { useEffect, useRef } from 'react';
import { routeToOutput } from '../media/devices';

/** A <video> showing a stream (muted: audio is played by RemoteAudio on the chosen speaker). */
export function VideoView({ stream, label, mirrored, className }: { stream: MediaStream; label: string; mirrored?: boolean; className?: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== stream) ref.current.srcObject = stream;
  }, [stream]);
  const classes = ['video', mirrored ? 'mirrored' : null, className ?? null].filter(Boolean).join(' ');
  return <video ref={ref} className={classes} autoPlay playsInline muted aria-label={label} />;
}

/** Plays the remote audio on the chosen speaker (setSinkId) at the call volume, silenced while the call is on hold. */
export function RemoteAudio({ stream, speakerId, paused, volume }: { stream: MediaStream; speakerId: string | null; paused: boolean; volume: number }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== stream) ref.current.srcObject = stream;
  }, [stream]);
  useEffect(() => {
    if (ref.current) void routeToOutput(ref.current, speakerId);
  }, [speakerId]);
  useEffect(() => {
    if (ref.current) ref.current.muted = paused;
  }, [paused]);
  useEffect(() => {
    if (ref.current) ref.current.volume = Math.min(1, Math.max(0, volume));
  }, [volume]);
  return <audio ref={ref} autoPlay className="remote-audio" data-call-audio />;
}
