// A DM list's record keeps the segment as the user named it followed by its
// filter as JSON (crates/mailing export::mailing_record), so the record says
// exactly who was chosen. The table shows the name; the whole text is the
// cell's tooltip.
export function segmentName(segment: string): string {
  const filter = segment.indexOf(" {");
  return filter < 0 ? segment : segment.slice(0, filter);
}
