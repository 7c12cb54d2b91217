import { describe, expect, it } from "vitest";
import { act, renderHook } from "@testing-library/react";
import { ApiError } from "./api";
import { describeFailure, useAction } from "./use-action";
import { t } from "../i18n";

const invalid = new ApiError({
  code: "invalid",
  message: "入力を確認してください",
  fields: [{ field: "phone", message: "電話番号の桁数が違います" }],
});

describe("describeFailure", () => {
  it("puts a validation's messages beside their fields", () => {
    expect(describeFailure(invalid)).toEqual({ error: null, fieldErrors: { phone: "電話番号の桁数が違います" } });
  });

  it("shows any other failure as one message, in Japanese when it has none", () => {
    expect(describeFailure(new ApiError({ code: "ledger_locked", message: "台帳が使用中です", fields: [] }))).toEqual({
      error: "台帳が使用中です",
      fieldErrors: {},
    });
    expect(describeFailure("切断されました").error).toBe("切断されました");
    expect(describeFailure({}).error).toBe(t.errors.unexpected);
  });
});

describe("useAction", () => {
  it("shows a failure, clears it on the next run, and passes a result through", async () => {
    const { result } = renderHook(() => useAction());
    let value: number | undefined = 0;
    await act(async () => {
      value = await result.current.run(() => Promise.reject(new Error("書き込めません")));
    });
    expect(value).toBeUndefined();
    expect(result.current.error).toBe("書き込めません");
    expect(result.current.busy).toBe(false);
    await act(async () => {
      value = await result.current.run(() => Promise.resolve(7));
    });
    expect(value).toBe(7);
    expect(result.current.error).toBeNull();
  });

  it("keeps field messages apart from the screen's message", async () => {
    const { result } = renderHook(() => useAction());
    await act(async () => void (await result.current.run(() => Promise.reject(invalid))));
    expect(result.current.error).toBeNull();
    expect(result.current.fieldErrors).toEqual({ phone: "電話番号の桁数が違います" });
  });
});
