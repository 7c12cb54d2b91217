// The edit form's state: the fields as typed, the ledger's messages per
// field after a save, and the places a complete postal code names.
import { useState } from "react";
import { commands, type CustomerFields, type PostalPlace } from "../shared/api";

export type CustomerFormState = ReturnType<typeof useCustomerForm>;
export type Key = keyof CustomerFields;

/** The place fills prefecture, city and town only where they are still empty. */
export function withPlace(fields: CustomerFields, place: PostalPlace): CustomerFields {
  return {
    ...fields,
    prefecture: fields.prefecture || place.prefecture,
    city: fields.city || place.city,
    address1: fields.address1 || place.town,
  };
}

/** A postal code is complete at seven digits, in either width, whatever else is typed. */
export const isCompletePostal = (code: string) => code.replace(/[^0-9０-９]/g, "").length === 7;

export function useCustomerForm(initial: CustomerFields, onSave: (f: CustomerFields) => Promise<Record<string, string>>) {
  const [f, setF] = useState<CustomerFields>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [places, setPlaces] = useState<PostalPlace[]>([]);

  const set = <K extends Key>(key: K, value: CustomerFields[K]) => {
    setF((prev) => ({ ...prev, [key]: value }));
    setSaved(false);
  };

  function fillPlace(place: PostalPlace) {
    setF((prev) => withPlace(prev, place));
    setPlaces([]);
  }

  // A complete postal code fills the address at once when it names one place, or offers the places it names.
  async function postalTyped(code: string) {
    set("postal_code", code);
    if (!isCompletePostal(code)) return setPlaces([]);
    const found = await commands.lookupPostal(code);
    if (found.length === 1) fillPlace(found[0]);
    setPlaces(found.length > 1 ? found : []);
  }

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    const problems = await onSave(f);
    setErrors(problems);
    setSaved(Object.keys(problems).length === 0);
    setBusy(false);
  }

  return { f, errors, busy, saved, places, set, fillPlace, postalTyped, submit };
}
