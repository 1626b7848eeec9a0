/**
 * Text people typed (a name, a group), as one item on a line of command output: quoted and
 * escaped when it holds a control character, which could fake a line or restyle the
 * terminal, or the list's `separator`, which would split it in two.
 */
export function printable(text: string, separator = ''): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
  const unsafe = /[\u0000-\u001f\u007f-\u009f]/.test(text) || (separator !== '' && text.includes(separator));
  return unsafe ? JSON.stringify(text) : text;
}
