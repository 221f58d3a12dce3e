import { AdminLayout, type PageChrome } from './common.js';

export function NotFoundPage(props: PageChrome) {
  return (
    <AdminLayout {...props} title="Not found">
      <h1>Not found</h1>
      <p>There is nothing here, or it belongs to another store.</p>
      <p>
        <a href="/admin">Back to your orders</a>
      </p>
    </AdminLayout>
  );
}

export function ErrorPage(props: PageChrome & { title: string; message: string }) {
  return (
    <AdminLayout {...props} title={props.title}>
      <h1>{props.title}</h1>
      <p role="alert">{props.message}</p>
      <p>
        <a href="/admin">Back to your orders</a>
      </p>
    </AdminLayout>
  );
}
