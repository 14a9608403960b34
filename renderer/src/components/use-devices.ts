import { useEffect, useState } from 'react';
import { listDevices, watchDevices, type DeviceLists } from '../media/devices';

const EMPTY: DeviceLists = { microphones: [], cameras: [], speakers: [] };

/** The current device lists, refreshed on hot-plug (devicechange). */
export function useDevices(): DeviceLists {
  const [lists, setLists] = useState<DeviceLists>(EMPTY);
  useEffect(() => {
    let live = true;
    void listDevices().then((l) => live && setLists(l));
    const stop = watchDevices((l) => live && setLists(l));
    return () => {
      live = false;
      stop();
    };
  }, []);
  return lists;
}
