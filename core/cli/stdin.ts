// Reads an API key from standard input, so it never appears in the shell history or `ps` output.
import { createInterface } from 'node:readline';
import { AppError } from '../../shared/errors.js';

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Returns the first non-empty line of stdin, trimmed. On a terminal it prompts on stderr and reads
 * one line. Throws `invalid_input` when stdin contains no key.
 */
export async function readApiKey(stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  let text: string;
  if (stdin.isTTY === true) {
    const prompt = createInterface({ input: stdin, output: process.stderr, terminal: true });
    text = await new Promise<string>((resolve) => prompt.question('Paste the Ashby API key and press Enter: ', resolve));
    prompt.close();
  } else {
    text = await readAll(stdin);
  }
  const key = text.split(/\r?\n/).map((line) => line.trim()).find((line) => line !== '');
  if (key === undefined) {
    throw new AppError('invalid_input', 'No API key on stdin. Pipe it in, for example: printf %s "$ASHBY_KEY" | ashby-sync clients add --name Acme');
  }
  return key;
}
