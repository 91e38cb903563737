/**
 * A small terminal screen for tests of the live view: it applies what a program writes the way
 * a VT100-style terminal does (the subset the views use: text, newline, carriage return, cursor
 * to the start of a line n up `CSI n F`, home `CSI H`, clear to the end of the line `CSI K`, clear
 * to the end of the screen `CSI J`, clear the screen `CSI 2J`; cursor show/hide is ignored), so a
 * test reads the screen a person
 * would see instead of matching escape codes. Lines that scroll off the top go to `scrolledOff`.
 *
 * Like a TTY with `onlcr` (the default), `\n` moves to the start of the next line.
 */
export class VirtualTerminal {
  readonly isTTY = true;
  readonly screen: string[];
  /** Lines that scrolled off the top, oldest first. */
  readonly scrolledOff: string[] = [];
  private row = 0;
  private col = 0;
  private pending = '';

  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    this.screen = Array.from({ length: rows }, () => '');
  }

  write(text: string): boolean {
    const s = this.pending + text;
    this.pending = '';
    let i = 0;
    while (i < s.length) {
      const c = s[i]!;
      if (c === '\u001b') {
        const m = /^\u001b\[(\??)(\d*)(?:;(\d*))?([A-Za-z])/.exec(s.slice(i));
        if (!m) {
          // An escape sequence split across writes: keep it for the next one.
          if (s.length - i < 16) {
            this.pending = s.slice(i);
            return true;
          }
          throw new Error(`VirtualTerminal: unsupported escape sequence ${JSON.stringify(s.slice(i, i + 12))}`);
        }
        this.control(m[1]!, m[2] === '' ? undefined : Number(m[2]), m[4]!);
        i += m[0].length;
        continue;
      }
      if (c === '\n') this.lineFeed();
      else if (c === '\r') this.col = 0;
      else {
        if (this.col >= this.columns) this.lineFeed();
        const line = this.screen[this.row]!.padEnd(this.col, ' ');
        this.screen[this.row] = line.slice(0, this.col) + c + line.slice(this.col + 1);
        this.col++;
      }
      i++;
    }
    return true;
  }

  /** The screen's lines without trailing blanks, and without the empty lines at the bottom. */
  text(): string[] {
    const lines = this.screen.map((l) => l.trimEnd());
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    return lines;
  }

  private lineFeed(): void {
    this.col = 0;
    if (this.row < this.rows - 1) {
      this.row++;
      return;
    }
    this.scrolledOff.push(this.screen.shift()!);
    this.screen.push('');
  }

  private control(privateMode: string, n: number | undefined, command: string): void {
    if (privateMode === '?') return; // cursor show/hide
    if (command === 'F') {
      this.row = Math.max(0, this.row - (n ?? 1));
      this.col = 0;
    } else if (command === 'H') {
      this.row = 0;
      this.col = 0;
    } else if (command === 'K') {
      this.screen[this.row] = this.screen[this.row]!.slice(0, this.col);
    } else if (command === 'J') {
      if (n === 2) this.screen.fill('');
      else {
        this.screen[this.row] = this.screen[this.row]!.slice(0, this.col);
        for (let r = this.row + 1; r < this.rows; r++) this.screen[r] = '';
      }
    } else throw new Error(`VirtualTerminal: unsupported control CSI ${n ?? ''}${command}`);
  }
}
