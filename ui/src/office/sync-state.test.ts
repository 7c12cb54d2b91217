import { describe, expect, it } from "vitest";
import { arrived, describeSync, inOffice } from "./sync-state";

describe("the header's sync state", () => {
  it("says nothing for a ledger on its own", () => {
    expect(describeSync({ state: "idle" })).toBeNull();
    expect(inOffice({ state: "idle" })).toBe(false);
  });

  it("shows when everything last reached the hub", () => {
    const line = describeSync({ state: "synced", at: "12:03", conflicts: 0 });
    expect(line?.chip).toBe("同期済み 12:03");
    expect(line?.tone).toBe("ok");
    expect(line?.state).toBeNull();
  });

  it("counts unsent changes while the hub does not answer, and says work goes on", () => {
    const line = describeSync({ state: "offline", unsent: 3, message: "接続できません: 192.0.2.1" });
    expect(line?.chip).toBe("未送信 3 件");
    expect(line?.state).toBe("親機に接続できません（オフラインで作業中）");
    expect(line?.hint).toContain("このまま作業を続けられます");
    expect(line?.hint).toContain("親機のPCの電源");
    expect(line?.reason).toBe("接続できません: 192.0.2.1");
  });

  it("says offline in the chip itself when nothing waits to be sent", () => {
    const line = describeSync({ state: "offline", unsent: 0, message: "" });
    expect(line?.chip).toBe("親機に接続できません（オフラインで作業中）");
    expect(line?.state).toBeNull();
    expect(line?.reason).toBeNull();
  });

  it("says sync stopped with the reason to fix", () => {
    const line = describeSync({ state: "stopped", unsent: 2, code: "schema_mismatch", message: "親機のアプリを先に更新してください。" });
    expect(line?.chip).toBe("同期が止まっています");
    expect(line?.state).toBe("未送信 2 件");
    expect(line?.reason).toBe("親機のアプリを先に更新してください。");
    expect(line?.repairable).toBe(false);
  });

  it("offers to take the hub's copy when this PC's drifted, and only then", () => {
    const line = describeSync({ state: "stopped", unsent: 0, code: "ledger_drifted", message: "食い違っています（customers）" });
    expect(line?.repairable).toBe(true);
    expect(line?.hint).toContain("親機の台帳の写しに置き換える");
    expect(describeSync({ state: "offline", unsent: 1, message: "" })?.repairable).toBe(false);
  });
});

describe("arrivals", () => {
  it("reads again when the count moves, not on the first look", () => {
    expect(arrived(null, 4)).toBe(false);
    expect(arrived(4, 4)).toBe(false);
    expect(arrived(4, 5)).toBe(true);
    // Sync restarted (joined, left): its count starts from 0 again.
    expect(arrived(5, 0)).toBe(true);
  });
});
