import { Layout } from './layout';
import { AppRoutes } from './routes';
import { SessionProvider } from './session';

export function App() {
  return (
    <SessionProvider>
      <Layout>
        <AppRoutes />
      </Layout>
    </SessionProvider>
  );
}
