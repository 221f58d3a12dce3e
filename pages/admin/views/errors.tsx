import { AdminLayout, type PageChrome } from './common.js';

export function NotFoundPage(props: PageChrome) {
  const w = props.words;
  return (
    <AdminLayout {...props} title={w.t('admin.error.not_found.title')}>
      <h1>{w.t('admin.error.not_found.title')}</h1>
      <p>{w.t('admin.error.not_found.text')}</p>
      <p>
        <a href="/admin">{w.t('admin.error.back')}</a>
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
        <a href="/admin">{props.words.t('admin.error.back')}</a>
      </p>
    </AdminLayout>
  );
}
