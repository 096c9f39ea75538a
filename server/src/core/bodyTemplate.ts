/**
 * Checks a pattern's body against its schema's section template: every
 * section present once and in order, lead lines where the template asks for
 * them, and the confidence note agreeing with the frontmatter.
 */
import type { BodyTemplate, SectionTemplate } from './config';
import type { DiagnosticCode } from './diagnosticCodes';
import { headingName, type Heading } from './markdownBody';

export interface BodyFinding {
  code: DiagnosticCode;
  start: number;
  end: number;
  message: string;
  data?: Record<string, unknown>;
}

export function matchSection(heading: Heading, templates: readonly SectionTemplate[]): number {
  const name = headingName(heading.text).toLowerCase();
  for (let i = 0; i < templates.length; i++) {
    const template = templates[i]!;
    if (template.match) {
      if (safeRegExp(template.match)?.test(heading.text)) return i;
      continue;
    }
    const wanted = template.name.toLowerCase();
    if (name === wanted || (name.startsWith(wanted) && !/[a-z0-9]/.test(name.charAt(wanted.length)))) return i;
  }
  return -1;
}

export function checkBody(
  text: string,
  bodyStart: number,
  headings: readonly Heading[],
  template: BodyTemplate,
  frontmatterValue: unknown,
  confidenceField: { start: number; end: number } | undefined,
): BodyFinding[] {
  const findings: BodyFinding[] = [];
  const templates = template.sections;
  // The level the template's sections use in this file: that of the first heading that names one.
  const firstMatch = headings.find((h) => matchSection(h, templates) >= 0);
  const level = firstMatch?.level;
  const found: Array<{ heading: Heading; index: number }> = [];
  if (level !== undefined) {
    for (const heading of headings) {
      if (heading.level !== level) continue;
      const index = matchSection(heading, templates);
      if (index >= 0) found.push({ heading, index });
    }
  }

  const firstOf = new Map<number, Heading>();
  for (const { heading, index } of found) {
    const first = firstOf.get(index);
    if (first) {
      findings.push({ code: 'duplicate-section', start: heading.start, end: heading.end, message: `The section "${templates[index]!.name}" appears twice; the first is on line ${lineOf(text, first.start) + 1}.` });
    } else firstOf.set(index, heading);
  }

  // Out of order: a section that comes after one the template puts later.
  let highest = -1;
  let highestHeading: Heading | undefined;
  for (const { heading, index } of found) {
    if (firstOf.get(index) !== heading) continue;
    if (index < highest && highestHeading) {
      findings.push({
        code: 'section-order',
        start: heading.start,
        end: heading.end,
        message: `The section "${templates[index]!.name}" should come before "${templates[highest]!.name}".`,
      });
    } else if (index > highest) {
      highest = index;
      highestHeading = heading;
    }
  }

  for (let index = 0; index < templates.length; index++) {
    const section = templates[index]!;
    const heading = firstOf.get(index);
    if (!heading) {
      // Report it where it belongs: on the heading it should precede, or else the one it should follow.
      const next = nextPresent(firstOf, index, templates.length);
      const previous = previousPresent(firstOf, index);
      const anchor = next ?? previous;
      const start = anchor ? anchor.start : bodyStart;
      const end = anchor ? anchor.end : Math.min(text.length, lineEndOf(text, bodyStart));
      const where = next ? ` (it belongs before "${headingName(next.text)}")` : previous ? ` (it belongs after "${headingName(previous.text)}")` : '';
      findings.push({
        code: 'missing-section',
        start,
        end,
        message: `The section "${section.name}" is missing${where}.`,
        data: { section: section.name, index, before: next !== undefined },
      });
      continue;
    }
    if (section.lead) {
      const lead = firstContentLine(text, heading.end, heading.sectionEnd);
      const pattern = safeRegExp(section.lead.pattern);
      if (pattern && (!lead || !pattern.test(lead.text))) {
        findings.push({ code: section.lead.code, start: heading.start, end: heading.end, message: section.lead.message });
      }
    }
  }

  if (template.confidenceNote) {
    const finding = checkConfidence(text, bodyStart, template.confidenceNote.pattern, template.confidenceNote.field, frontmatterValue, confidenceField);
    if (finding) findings.push(finding);
  }
  return findings;
}

function checkConfidence(
  text: string,
  bodyStart: number,
  patternSource: string,
  field: string,
  frontmatterValue: unknown,
  fieldRange: { start: number; end: number } | undefined,
): BodyFinding | undefined {
  const pattern = safeRegExp(patternSource, 'g');
  if (!pattern) return undefined;
  pattern.lastIndex = bodyStart;
  const match = pattern.exec(text);
  if (!match || match[1] === undefined) return undefined;
  const stars = [...match[1]].filter((c) => c === '★').length;
  const value = field.split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), frontmatterValue);
  if (typeof value !== 'number' || value === stars) return undefined;
  const start = match.index + match[0].length - match[1].length;
  return {
    code: 'confidence-mismatch',
    start,
    end: start + match[1].length,
    message: `The confidence note shows ${stars} star${stars === 1 ? '' : 's'}, but \`${field}\` is ${value}.`,
    data: { stars, value, field, fieldRange },
  };
}

function nextPresent(present: Map<number, Heading>, index: number, count: number): Heading | undefined {
  for (let i = index + 1; i < count; i++) {
    const heading = present.get(i);
    if (heading) return heading;
  }
  return undefined;
}

function previousPresent(present: Map<number, Heading>, index: number): Heading | undefined {
  for (let i = index - 1; i >= 0; i--) {
    const heading = present.get(i);
    if (heading) return heading;
  }
  return undefined;
}

/** The first line between `from` and `to` that is not blank, trimmed (a line at a time: sections can be long). */
function firstContentLine(text: string, from: number, to: number): { text: string } | undefined {
  for (let start = from; start < to; ) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 || newline > to ? to : newline;
    const trimmed = text.slice(start, end).replace(/\r$/, '').trim();
    if (trimmed) return { text: trimmed };
    if (newline === -1 || newline >= to) break;
    start = newline + 1;
  }
  return undefined;
}

function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function lineEndOf(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline;
}

function safeRegExp(source: string, flags = ''): RegExp | undefined {
  try {
    return new RegExp(source, flags + 'mu');
  } catch {
    return undefined;
  }
}
