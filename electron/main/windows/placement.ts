export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const INCOMING_WINDOW_SIZE = { width: 360, height: 188 } as const;
const MARGIN = 16;

/**
 * Where the incoming-call window goes on the primary display's work area (which excludes the
 * taskbar, dock and menu bar): top-right on macOS, where its notifications appear;
 * bottom-right elsewhere, above the taskbar's notification area.
 */
export function incomingWindowBounds(workArea: Rect, platform: string, size = INCOMING_WINDOW_SIZE): Rect {
  const width = Math.min(size.width, workArea.width);
  const height = Math.min(size.height, workArea.height);
  const x = workArea.x + workArea.width - width - Math.min(MARGIN, workArea.width - width);
  const y = platform === 'darwin' ? workArea.y + Math.min(MARGIN, workArea.height - height) : workArea.y + workArea.height - height - Math.min(MARGIN, workArea.height - height);
  return { x: Math.round(x), y: Math.round(y), width, height };
}
