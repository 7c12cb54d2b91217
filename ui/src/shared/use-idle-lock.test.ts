import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { renderHook } from "@testing-library/react";
import { idleTooLong, useIdleLock } from "./use-idle-lock";

describe("idleTooLong", () => {
  it("counts whole minutes from the last activity", () => {
    expect(idleTooLong(0, 59_999, 1)).toBe(false);
    expect(idleTooLong(0, 60_000, 1)).toBe(true);
    expect(idleTooLong(1_000, 600_999, 10)).toBe(false);
  });
});

describe("useIdleLock", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("locks once after the idle time, and activity starts the time again", () => {
    const onIdle = vi.fn();
    renderHook(() => useIdleLock(1, onIdle));
    vi.advanceTimersByTime(50_000);
    window.dispatchEvent(new KeyboardEvent("keydown"));
    vi.advanceTimersByTime(50_000);
    expect(onIdle).not.toHaveBeenCalled();
    window.dispatchEvent(new MouseEvent("mousemove"));
    vi.advanceTimersByTime(61_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(120_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it("does nothing while sign-in is off", () => {
    const onIdle = vi.fn();
    renderHook(() => useIdleLock(null, onIdle));
    vi.advanceTimersByTime(24 * 3_600_000);
    expect(onIdle).not.toHaveBeenCalled();
  });
});
