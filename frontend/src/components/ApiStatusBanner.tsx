import { isUnreachable } from '../api/errors';
import { useLiveness, useMenu } from '../api/queries';

/** A clear, app-wide notice when the API cannot be reached: a failing liveness probe or menu. */
export function ApiStatusBanner() {
  const liveness = useLiveness();
  // Only its errors matter here: the pages that show the menu keep it fresh, the liveness probe polls.
  const menu = useMenu({ poll: false });
  const down = liveness.isError || (menu.isError && isUnreachable(menu.error));
  if (!down) return null;
  return (
    <div
      role="alert"
      className="border-b border-red-300 bg-red-50 px-4 py-3 text-center text-sm text-red-900"
    >
      <strong className="font-semibold">The pizza service is unreachable right now.</strong> We keep trying;
      what you see may be out of date, and orders cannot be placed until it is back.
    </div>
  );
}
