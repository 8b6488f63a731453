/** Dials by the callee's local hour, one row per place and zone: the data of the report's heat map. */
export interface LocalHourRow {
  /** The place the number's digits tell (`US-FL`, `GB`, `unknown`). */
  readonly place: string;
  /** The job's zone as its policy writes it (several joined by ` & `). */
  readonly zone: string;
  /** Whether a calling rule applies to the numbers of the row. */
  readonly ruled: boolean;
  /** Dials per local hour 0..23 on the callee's wall clock (in the job's first zone). */
  readonly dials: readonly number[];
}

/** Collects {@link LocalHourRow}s dial by dial. */
export class LocalHourTable {
  readonly #rows: { place: string; zone: string; ruled: boolean; dials: number[] }[] = [];
  readonly #ids = new Map<string, number>();

  /** The row of a place, zone and rule flag, made on first use. */
  rowId(place: string, zone: string, ruled: boolean): number {
    const key = `${place}\u0000${zone}\u0000${ruled}`;
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = this.#rows.length;
      this.#rows.push({ place, zone, ruled, dials: new Array<number>(24).fill(0) });
      this.#ids.set(key, id);
    }
    return id;
  }

  dial(rowId: number, localHour: number): void {
    this.#rows[rowId]!.dials[localHour]!++;
  }

  /** The rows, ruled ones first, then by place and zone. */
  rows(): LocalHourRow[] {
    return [...this.#rows]
      .sort(
        (a, b) =>
          Number(b.ruled) - Number(a.ruled) || a.place.localeCompare(b.place) || a.zone.localeCompare(b.zone),
      )
      .map((row) => ({ ...row, dials: [...row.dials] }));
  }
}
