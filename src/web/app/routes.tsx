import { lazy } from 'react';
import { Route, Switch } from 'wouter';
import { RequireAdministrator, RequireSession } from './guards';
import { NotFoundPage } from './not-found.page';

// Every page is its own chunk: the first load carries only the shell.
const HomePage = lazy(() => import('../features/home/home.page').then((m) => ({ default: m.HomePage })));
const RegisterPage = lazy(() => import('../features/auth/register.page').then((m) => ({ default: m.RegisterPage })));
const VerifyEmailPage = lazy(() =>
  import('../features/auth/verify-email.page').then((m) => ({ default: m.VerifyEmailPage })),
);
const LoginPage = lazy(() => import('../features/auth/login.page').then((m) => ({ default: m.LoginPage })));
const ForgotPasswordPage = lazy(() =>
  import('../features/auth/forgot-password.page').then((m) => ({ default: m.ForgotPasswordPage })),
);
const ResetPasswordPage = lazy(() =>
  import('../features/auth/reset-password.page').then((m) => ({ default: m.ResetPasswordPage })),
);
const AccountPage = lazy(() => import('../features/account/account.page').then((m) => ({ default: m.AccountPage })));
const UsersPage = lazy(() => import('../features/admin/users.page').then((m) => ({ default: m.UsersPage })));

export function AppRoutes() {
  return (
    <Switch>
      <Route path="/">
        <HomePage />
      </Route>
      <Route path="/register">
        <RegisterPage />
      </Route>
      <Route path="/verify-email">
        <VerifyEmailPage />
      </Route>
      <Route path="/login">
        <LoginPage />
      </Route>
      <Route path="/forgot-password">
        <ForgotPasswordPage />
      </Route>
      <Route path="/reset-password">
        <ResetPasswordPage />
      </Route>
      <Route path="/account">
        <RequireSession>
          <AccountPage />
        </RequireSession>
      </Route>
      <Route path="/admin/users">
        <RequireAdministrator>
          <UsersPage />
        </RequireAdministrator>
      </Route>
      <Route>
        <NotFoundPage />
      </Route>
    </Switch>
  );
}
