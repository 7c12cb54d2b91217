// The record keeps a DM list's name; the lists written before the record
// existed (copied in from the mailings by migration 013) keep the name
// followed by its filter as JSON. The table shows the name; the whole text
// is the cell's tooltip.
export function segmentName(segment: string): string {
  const filter = segment.indexOf(" {");
  return filter < 0 ? segment : segment.slice(0, filter);
}
