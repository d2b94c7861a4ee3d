import { describe, expect, it } from 'vitest';
import { bfgs, nelderMead } from './optimize.ts';

// Rosenbrock's banana valley: a classic hard case, minimum 0 at (1, 1).
const rosenbrock = (x: number[]): number => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2;

describe('nelderMead', () => {
  it('finds the minimum of the Rosenbrock function', () => {
    const result = nelderMead(rosenbrock, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 4);
    expect(result.x[1]).toBeCloseTo(1, 4);
  });
});

describe('bfgs', () => {
  it('finds the minimum of the Rosenbrock function with its gradient', () => {
    const result = bfgs((x, g) => {
      g[0] = -400 * x[0]! * (x[1]! - x[0]! ** 2) - 2 * (1 - x[0]!);
      g[1] = 200 * (x[1]! - x[0]! ** 2);
      return rosenbrock(x);
    }, [-1.2, 1]);
    expect(result.x[0]).toBeCloseTo(1, 5);
    expect(result.x[1]).toBeCloseTo(1, 5);
  });
});
