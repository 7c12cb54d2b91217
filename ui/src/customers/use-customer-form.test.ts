import { describe, expect, it } from "vitest";
import { blankFields } from "./CustomerForm";
import { isCompletePostal, withPlace } from "./use-customer-form";

const place = { postal_code: "154-0015", prefecture: "東京都", city: "世田谷区", town: "桜新町" };

describe("filling the address from a postal code", () => {
  it("fills only what is still empty", () => {
    const typed = { ...blankFields(), city: "世田谷", address1: "" };
    expect(withPlace(typed, place)).toMatchObject({ prefecture: "東京都", city: "世田谷", address1: "桜新町" });
  });

  it("looks a code up once it has seven digits, in either width", () => {
    expect(isCompletePostal("154-0015")).toBe(true);
    expect(isCompletePostal("１５４００１５")).toBe(true);
    expect(isCompletePostal("154-001")).toBe(false);
  });
});
