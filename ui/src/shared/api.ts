// The UI talks to Rust only through the generated bindings; this unwraps
// their Result values so components can use try/catch.
import { commands, RUST_FACTS, type CommandError, type Result } from "../bindings";

// The facts the UI takes from Rust (binding constants) instead of retyping.
export { commands };
export const {
  customer_columns: CUSTOMER_COLUMNS,
  blank_customer: BLANK_CUSTOMER,
  dm_default_columns: DM_DEFAULT_COLUMNS,
  print_defaults: PRINT_DEFAULTS,
  print_formats: PRINT_FORMATS,
  statutory_categories: STATUTORY_CATEGORIES,
  statutory_years: STATUTORY_YEARS,
} = RUST_FACTS;
export type * from "../bindings";

export class ApiError extends Error {
  readonly code: string;
  readonly fields: { field: string; message: string }[];

  constructor(error: CommandError) {
    super(error.message);
    this.code = error.code;
    this.fields = error.fields;
  }

  /** Field name → message, for showing each message next to its field. */
  fieldMessages(): Record<string, string> {
    return Object.fromEntries(this.fields.map((f) => [f.field, f.message]));
  }
}

export async function call<T>(pending: Promise<Result<T, CommandError>>): Promise<T> {
  const result = await pending;
  if (result.status === "error") throw new ApiError(result.error);
  return result.data;
}

export function messageOf(error: unknown, fallback: string): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  return fallback;
}
