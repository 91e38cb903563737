/**
 * ReadGate with stand-in connections: which may read, step by step, against the rules written
 * out in read-gate.ts (pause at the bound, resume at half of it; when unfinished lines alone
 * fill the budget, the largest holder reads on until one of its lines ends).
 */
import { describe, expect, it } from 'vitest';
import { type GatedConnection, ReadGate } from './read-gate.js';

class Fake implements GatedConnection {
  held = 0;
  linesEnded = 0;
  reading = true;
  pauses = 0;
  pause(): void {
    this.pauses++;
  }
  resume(): void {}
}

function setup(n: number, maxLines = 100, maxBytes = 1000) {
  const conns = Array.from({ length: n }, () => new Fake());
  const set = new Set<GatedConnection>(conns);
  const gate = new ReadGate(maxLines, maxBytes, set);
  for (const c of conns) gate.admit(c);
  return { conns, set, gate, reading: () => conns.map((c) => c.reading) };
}

describe('ReadGate', () => {
  it('pauses every socket at maxBufferedBytes and resumes them at half of it (not before)', () => {
    const { gate, reading } = setup(3);
    gate.update(5, 999);
    expect(reading()).toEqual([true, true, true]);
    gate.update(5, 1000);
    expect(reading()).toEqual([false, false, false]);
    gate.update(1, 501);
    expect(reading()).toEqual([false, false, false]);
    gate.update(0, 500);
    expect(reading()).toEqual([true, true, true]);
  });

  it('pauses on queued lines (highWaterMark) the same way', () => {
    const { gate, reading } = setup(2, 10);
    gate.update(10, 0);
    expect(reading()).toEqual([false, false]);
    gate.update(6, 0);
    expect(reading()).toEqual([false, false]);
    gate.update(5, 0);
    expect(reading()).toEqual([true, true]);
  });

  it('a connection admitted while paused starts paused', () => {
    const { gate, set } = setup(1);
    gate.update(1, 1000);
    const late = new Fake();
    set.add(late);
    gate.admit(late);
    expect(late.reading).toBe(false);
    expect(late.pauses).toBe(1);
  });

  it('when unfinished lines alone fill the budget, the largest holder reads on until a line of it ends', () => {
    const { conns, gate, reading } = setup(3);
    [conns[0]!.held, conns[1]!.held, conns[2]!.held] = [300, 450, 250];
    gate.update(2, 1000); // lines still wait for the job: they will free bytes, nobody reads
    expect(reading()).toEqual([false, false, false]);
    gate.update(0, 1000); // the job took them; nothing else can drain
    expect(reading()).toEqual([false, true, false]);
    conns[1]!.held = 900;
    gate.update(0, 1450); // more of the same line: still reading
    expect(reading()).toEqual([false, true, false]);
    conns[1]!.held = 10;
    conns[1]!.linesEnded++;
    gate.update(1, 1460); // its line ended and waits for the job: paused again
    expect(reading()).toEqual([false, false, false]);
    gate.update(0, 560); // the job took it; still over half: the next largest holder
    expect(reading()).toEqual([true, false, false]);
  });

  it('a finishing connection that closes hands over to the next holder', () => {
    const { conns, set, gate } = setup(3);
    [conns[0]!.held, conns[1]!.held, conns[2]!.held] = [600, 400, 300];
    gate.update(0, 1300);
    expect(conns.map((c) => c.reading)).toEqual([true, false, false]);
    set.delete(conns[0]!); // closed: its 600 bytes are gone, 700 left, nothing queued
    gate.update(0, 700);
    expect([conns[1]!.reading, conns[2]!.reading]).toEqual([true, false]);
  });
});
