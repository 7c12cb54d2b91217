// The app locks itself after the office's idle time (sign-in on): a key, a
// click, a wheel or a mouse move counts as someone at the PC. The clock is
// read every second rather than one long timer reset on every mouse move, so
// a PC that slept past the time locks as it wakes.
import { useEffect, useRef } from "react";

/** The events that mean someone is at the PC. */
export const ACTIVITY_EVENTS = ["keydown", "mousedown", "mousemove", "wheel", "touchstart"] as const;

/** Whether `minutes` have passed since the last activity. */
export function idleTooLong(lastActivity: number, now: number, minutes: number): boolean {
  return now - lastActivity >= minutes * 60_000;
}

/** Calls `onIdle` once after `minutes` without activity; `null` turns it off. */
export function useIdleLock(minutes: number | null, onIdle: () => void) {
  const idle = useRef(onIdle);
  useEffect(() => {
    idle.current = onIdle;
  }, [onIdle]);

  useEffect(() => {
    if (minutes === null) return;
    let last = Date.now();
    let fired = false;
    const seen = () => {
      last = Date.now();
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, seen, { passive: true, capture: true });
    const timer = window.setInterval(() => {
      if (!fired && idleTooLong(last, Date.now(), minutes)) {
        fired = true;
        idle.current();
      }
    }, 1000);
    return () => {
      window.clearInterval(timer);
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, seen, { capture: true });
    };
  }, [minutes]);
}
