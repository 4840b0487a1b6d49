// A small TypeScript file with strings, comments, generics and nesting.
interface Person {
  name: string;
  languages: string[];
}

export function greet(person: Person, loud = false): string {
  const list = person.languages.length > 0 ? person.languages.join(', ') : 'nothing yet';
  const text = `Hello, ${person.name}! You write ${list}.`;
  return loud ? text.toUpperCase() : text;
}

export class Counter<T> {
  private readonly counts = new Map<T, number>();

  add(item: T): number {
    const next = (this.counts.get(item) ?? 0) + 1;
    this.counts.set(item, next);
    return next;
  }

  top(n: number): [T, number][] {
    return [...this.counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  }
}

console.log(greet({ name: "Ada", languages: ["C", "TypeScript"] }));
