// Temporary: OpenError.tsx (being edited by the lead) still imports from lib/; removed when it moves.
export * from "../shared/format";
