import { describe, expect, it } from "vitest";
import type { FollowUpSettings } from "../shared/api";
import { draftOf, settingsOf } from "./use-follow-up-settings";

const settings = { aftercare_months: [1, 12], lost_reasons: ["予算", "他社で契約"], stale_days: 90 } as unknown as FollowUpSettings;

describe("the follow-up draft", () => {
  it("shows the lists with 、 between the items", () => {
    expect(draftOf(settings)).toMatchObject({ months: "1、12", reasons: "予算、他社で契約" });
  });

  it("reads the lists back as typed with 、 or commas, dropping what is not a month", () => {
    const saved = settingsOf({ settings, months: "1, 6，十二、24", reasons: "予算、 立地 " });
    expect(saved.aftercare_months).toEqual([1, 6, 24]);
    expect(saved.lost_reasons).toEqual(["予算", "立地"]);
    expect(saved.stale_days).toBe(90);
  });
});
