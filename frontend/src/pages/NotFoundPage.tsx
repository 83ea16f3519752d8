import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <div className="space-y-2">
      <h1 className="text-2xl font-bold">Page not found</h1>
      <Link to="/" className="font-medium text-red-700 underline">
        Back to the menu
      </Link>
    </div>
  );
}
