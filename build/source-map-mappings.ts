/** Source-map `mappings` decoded to absolute values and encoded back: the build's terser pass and bench:size read them. */
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** `mappings` as lines of segments with absolute values ([column, source, line, column, name]). */
export function decodeMappings(mappings: string): number[][][] {
  const state = [0, 0, 0, 0, 0];
  return mappings.split(';').map((line) => {
    state[0] = 0;
    return line
      .split(',')
      .filter(Boolean)
      .map((segment) => {
        const fields: number[] = [];
        let value = 0;
        let shift = 0;
        for (const char of segment) {
          const digit = B64.indexOf(char);
          value += (digit & 31) << shift;
          if (digit & 32) shift += 5;
          else {
            fields.push((state[fields.length]! += value & 1 ? -(value >>> 1) : value >>> 1));
            value = shift = 0;
          }
        }
        return fields;
      });
  });
}

export function encodeMappings(lines: number[][][]): string {
  const state = [0, 0, 0, 0, 0];
  const vlq = (value: number) => {
    let rest = value < 0 ? (-value << 1) | 1 : value << 1;
    let text = '';
    do {
      const digit = rest & 31;
      rest >>>= 5;
      text += B64[rest ? digit | 32 : digit];
    } while (rest);
    return text;
  };
  return lines
    .map((line) => {
      state[0] = 0;
      return line
        .map((segment) =>
          segment
            .map((value, i) => {
              const text = vlq(value - state[i]!);
              state[i] = value;
              return text;
            })
            .join(''),
        )
        .join(',');
    })
    .join(';');
}
