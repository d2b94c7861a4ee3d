// A new user's password: from PULSE_NEW_PASSWORD (scripts), else typed twice on the terminal without
// echo. Never a command-line flag, which would end up in shell history and `ps`.
import readline from 'node:readline';
import { ConfigError } from '../lib/errors.ts';
import { PASSWORD_MIN_LENGTH } from '../lib/password-rules.ts';

export async function readNewPassword(): Promise<string> {
  const fromEnv = process.env.PULSE_NEW_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) throw new ConfigError('no_password', 'Set PULSE_NEW_PASSWORD, or run this on a terminal to type the password.');
  const first = await askHidden(`Password (at least ${PASSWORD_MIN_LENGTH} characters, not a common one): `);
  const second = await askHidden('Again: ');
  if (first !== second) throw new ConfigError('password_mismatch', 'The two passwords differ; nothing was created.');
  return first;
}

function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const output = rl as unknown as { _writeToOutput: (text: string) => void };
    output._writeToOutput = (text: string) => {
      // Show the prompt, hide what is typed.
      if (text.includes(prompt)) process.stdout.write(prompt);
    };
    rl.question(prompt, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
  });
}
