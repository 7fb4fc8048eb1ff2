import { pick, randInt, type Rng } from "./prng";

/**
 * Math-looking prompts and responses for synthetic runs: LaTeX (so JSON has escaped
 * backslashes), multi-line text, a few non-ASCII symbols and one astral character (so
 * \uXXXX escapes and surrogate pairs appear, as in logs written with Python's ensure_ascii).
 */

type Template = (r: Rng) => string;

const TEMPLATES: Template[] = [
  (r) => `Let $f(x) = ${randInt(r, 2, 19)}x^2 + ${randInt(r, 1, 99)}x - ${randInt(r, 1, 99)}$. Find $f(${randInt(r, -20, 20)})$.`,
  (r) =>
    `Compute $\\dfrac{${randInt(r, 1, 97)}}{${randInt(r, 2, 99)}} + \\dfrac{${randInt(r, 1, 97)}}{${randInt(r, 2, 99)}}$. Express your answer as a common fraction.`,
  (r) => `How many positive integers less than $${randInt(r, 100, 9999)}$ are divisible by $${randInt(r, 2, 13)}$ but not by $${randInt(r, 14, 40)}$?`,
  (r) => `Find the sum of all real solutions to $x^2 - ${randInt(r, 2, 60)}x + ${randInt(r, 1, 400)} = 0$.`,
  (r) =>
    `A right triangle has legs of length $${randInt(r, 2, 200)}$ and $${randInt(r, 2, 200)}$. What is the length of its hypotenuse? Express your answer in simplest radical form.`,
  (r) => `Evaluate $\\sqrt{${randInt(r, 2, 500)}} \\cdot \\sqrt{${randInt(r, 2, 500)}}$.`,
  (r) => `What is the remainder when $${randInt(r, 2, 99)}^{${randInt(r, 10, 2024)}}$ is divided by $${randInt(r, 3, 97)}$?`,
  (r) => `If $\\log_{${randInt(r, 2, 9)}} x = ${randInt(r, 2, 12)}$, what is $x$?`,
  (r) =>
    `Let $\\mathbf{v} = \\begin{pmatrix} ${randInt(r, -30, 30)} \\\\ ${randInt(r, -30, 30)} \\end{pmatrix}$ and $\\mathbf{w} = \\begin{pmatrix} ${randInt(r, -30, 30)} \\\\ ${randInt(r, -30, 30)} \\end{pmatrix}$. Compute $\\mathbf{v} \\cdot \\mathbf{w}$.`,
  (r) =>
    `The angle θ satisfies $\\sin θ = \\frac{${randInt(r, 1, 11)}}{${randInt(r, 12, 29)}}$ with 0 ≤ θ ≤ π/2. Find $\\cos θ$.`,
  (r) => `In the finite field 𝔽_{${pick(r, [5, 7, 11, 13, 17, 19, 23, 29, 31])}}, find the multiplicative inverse of $${randInt(r, 2, 4)}$ times $${randInt(r, 2, 900)}$.`,
  (r) =>
    `A bag holds ${randInt(r, 2, 15)} red and ${randInt(r, 2, 15)} blue marbles.\nTwo marbles are drawn without replacement.\nWhat is the probability that both are red? Express your answer as a "common fraction".`,
  (r) => `Find the number of ordered pairs $(a,b)$ of integers with $1 \\le a, b \\le ${randInt(r, 10, 300)}$ such that $a^2 + b^2$ is divisible by $${randInt(r, 3, 29)}$.`,
  (r) => `What is the smallest positive integer $n$ such that $${randInt(r, 2, 99)}n \\equiv ${randInt(r, 1, 50)} \\pmod{${randInt(r, 51, 199)}}$?`,
];

export function mathPrompt(r: Rng): string {
  return pick(r, TEMPLATES)(r);
}

export function mathAnswer(r: Rng): string {
  const k = r();
  if (k < 0.6) return String(randInt(r, -50, 5000));
  if (k < 0.85) return `\\frac{${randInt(r, 1, 99)}}{${randInt(r, 2, 199)}}`;
  return `${randInt(r, 2, 30)}\\sqrt{${pick(r, [2, 3, 5, 6, 7, 10, 11])}}`;
}

const STEPS = [
  "We start by rewriting the expression as $x^2 + 2x + 1 = (x+1)^2$, which makes the structure clearer.",
  "Using the identity $\\sin^2 \\theta + \\cos^2 \\theta = 1$, we get $\\cos \\theta = \\sqrt{1 - \\sin^2 \\theta}$.",
  "By the Chinese Remainder Theorem it suffices to work modulo each prime power separately.",
  "Let $S = \\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$. Substituting gives the total directly.",
  "Note that $\\binom{n}{2} = \\frac{n(n-1)}{2}$ counts the unordered pairs.",
  "Multiplying both sides by the common denominator, we obtain a quadratic equation in $x$.",
  "By Vieta's formulas, the sum of the roots is $-\\frac{b}{a}$ and the product is $\\frac{c}{a}$.",
  "Checking the boundary cases, the value at $x = 0$ is excluded because the denominator vanishes.",
  "So we need to compute $\\left\\lfloor \\frac{n}{d} \\right\\rfloor$ for each divisor $d$.",
  "Wait, let me double-check this step: the sign of the second term should be negative.",
  "The dot product is $\\mathbf{v} \\cdot \\mathbf{w} = v_1 w_1 + v_2 w_2$.",
  "Applying Fermat's little theorem, $a^{p-1} \\equiv 1 \\pmod{p}$ for $p \\nmid a$.",
  "Squaring both sides and simplifying:\n\\[\n  (a+b)^2 = a^2 + 2ab + b^2.\n\\]",
  'The problem says "without replacement", so the second draw depends on the first.',
];

/** A response of about `bytes` characters; `kind` decides how it ends. */
export function mathResponse(r: Rng, bytes: number, kind: "correct" | "wrong" | "format"): string {
  let text = "Let's think step by step.\n\n";
  while (text.length < bytes) text += pick(r, STEPS) + "\n\n";
  if (kind === "format") return text + "I am not sure how to finish this"; // no boxed answer: format error
  return `${text}Therefore, the final answer is $\\boxed{${mathAnswer(r)}}$.`;
}

/** JSON string literal with non-ASCII escaped as \uXXXX, as Python's json.dump writes by default. */
export function jsonAscii(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
