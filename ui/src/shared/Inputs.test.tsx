import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render } from "@testing-library/react";
import { InputField, OptionsOf } from "./Inputs";

afterEach(cleanup);

describe("InputField", () => {
  it("marks the input invalid and shows the field's error under it", () => {
    const { getByTestId } = render(
      <InputField label="日付" error="日付が正しくありません" errorTestId="err" data-testid="in" value="" onChange={() => {}} />,
    );
    expect(getByTestId("in").getAttribute("aria-invalid")).toBe("true");
    expect(getByTestId("err").textContent).toBe("日付が正しくありません");
    expect(getByTestId("err").className).toBe("field-error");
  });

  it("has no error text while the field is valid and hands on the typed value", () => {
    const onChange = vi.fn();
    const { container, getByTestId } = render(<InputField label="件名" data-testid="in" value="" onChange={onChange} />);
    fireEvent.change(getByTestId("in"), { target: { value: "新築" } });
    expect(onChange).toHaveBeenCalledWith("新築");
    expect(getByTestId("in").getAttribute("aria-invalid")).toBe("false");
    expect(container.querySelector(".field-error")).toBeNull();
  });
});

describe("OptionsOf", () => {
  it("lists the table's values with their labels, in order", () => {
    const { container } = render(
      <select>
        <OptionsOf labels={{ xlsx: "Excel", csv: "CSV" }} />
      </select>,
    );
    expect([...container.querySelectorAll("option")].map((o) => [o.value, o.textContent])).toEqual([
      ["xlsx", "Excel"],
      ["csv", "CSV"],
    ]);
  });
});
