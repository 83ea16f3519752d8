import type { LineIssue } from '../cart/cart';

export function lineIssueText(issue: LineIssue): string {
  switch (issue.kind) {
    case 'unavailable':
      return 'No longer on the menu.';
    case 'sold_out':
      return 'Sold out since you added it.';
    case 'exceeds_stock':
      return `Only ${issue.available} left in stock.`;
  }
}
