// The screen on display and its parameters (the role the pipeline shows). Screens navigate by
// id, so a screen never imports another screen's component.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export interface ScreenParams {
  roleId?: number;
}

export interface NavigationValue {
  screenId: string;
  params: ScreenParams;
  /** Counts navigations; the frame keys the screen with it, so opening a screen again starts it afresh. */
  visit: number;
  navigate(screenId: string, params?: ScreenParams): void;
}

const NavigationContext = createContext<NavigationValue | null>(null);

export function NavigationProvider({
  initialScreenId,
  children,
}: {
  initialScreenId: string;
  children: ReactNode;
}) {
  const [location, setLocation] = useState<{ screenId: string; params: ScreenParams; visit: number }>({
    screenId: initialScreenId,
    params: {},
    visit: 0,
  });
  const navigate = useCallback((screenId: string, params: ScreenParams = {}) => {
    setLocation((previous) => ({ screenId, params, visit: previous.visit + 1 }));
  }, []);
  const value = useMemo(() => ({ ...location, navigate }), [location, navigate]);
  return <NavigationContext.Provider value={value}>{children}</NavigationContext.Provider>;
}

export function useNavigation(): NavigationValue {
  const value = useContext(NavigationContext);
  if (!value) throw new Error('useNavigation() must be used inside <NavigationProvider>.');
  return value;
}

/** Returns the navigation, or null outside the console's frame (the startup error screen). */
export function useOptionalNavigation(): NavigationValue | null {
  return useContext(NavigationContext);
}
