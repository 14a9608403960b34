import { useEffect, useRef } from 'react';
import { routeToOutput } from '../media/devices';

/** A <video> showing a stream (muted: audio is played by RemoteAudio on the chosen speaker). */
export function VideoView({ stream, label, mirrored }: { stream: MediaStream; label: string; mirrored?: boolean }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== stream) ref.current.srcObject = stream;
  }, [stream]);
  return <video ref={ref} className={mirrored ? 'video mirrored' : 'video'} autoPlay playsInline muted aria-label={label} />;
}

/** Plays the remote audio on the chosen speaker (setSinkId), silenced while the call is on hold. */
export function RemoteAudio({ stream, speakerId, paused }: { stream: MediaStream; speakerId: string | null; paused: boolean }) {
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
  return <audio ref={ref} autoPlay className="remote-audio" />;
}
