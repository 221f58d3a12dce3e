import type { Merchant, MerchantSettings } from '../../../db/merchants.js';
import type { Product } from '../../../db/products.js';
import { toDecimalString } from '../../../domain/money.js';
import type { GatewayName } from '../../../domain/gateways.js';
import { money } from '../../shared/format.js';
import { Message } from '../../i18n/message.js';
import { StatusBadge, Time } from '../../shared/ui.js';
import { bpsToPercent, type Problem } from '../forms.js';
import { MAX_CREDENTIAL_LENGTH } from '../../../gateways/credentials.js';
import { credentialHint, credentialLabel, GATEWAY_FORMS, gatewayName } from '../gateway-fields.js';
import { gatewayFieldId, productFields, SETTINGS_FIELDS, type SettingsField } from '../settings-fields.js';
import type { Flash } from '../session.js';
import type { EndpointView } from '../../../services/merchant-webhooks.js';
import { WebhookEndpointsSection } from './webhooks.js';
import { LOCALES } from '../../../core/i18n/locales.js';
import { CATALOGS, type MessageKey, type PlainKey, type Words } from '../../../core/i18n/messages.js';
import { AdminLayout, CsrfField, ErrorSummary, errorsByField, Field, FlashMessage, type PageChrome } from './common.js';

/** Which form failed, what was wrong and what the person had typed (never credentials). */
export interface FailedForm {
  form: 'settings' | 'product-new' | `product-${string}` | `gateway-${string}`;
  problems: Problem[];
  values: Record<string, string>;
}

export interface SettingsPageProps extends PageChrome {
  csrfToken: string;
  merchant: Merchant;
  settings: MerchantSettings;
  products: Product[];
  configured: GatewayName[];
  webhookEndpoints: EndpointView[];
  flash?: Flash;
  failed?: FailedForm;
}

function Checkbox({ id, name, label, checked, hint }: { id: string; name: string; label: string; checked: boolean; hint?: string }) {
  return (
    <div class="field">
      <div class="check">
        <input type="checkbox" id={id} name={name} value="on" checked={checked} aria-describedby={hint ? `${id}-hint` : undefined} />
        <label for={id}>{label}</label>
      </div>
      {hint && (
        <span class="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
    </div>
  );
}

function VerificationNotice({ merchant, words: w }: { merchant: Merchant; words: Words }) {
  if (merchant.status === 'active') {
    return (
      <p class="flash flash-success" id="verification">
        <strong>{w.t('admin.settings.verified')}</strong>{' '}
        {merchant.verifiedAt ? (
          <Message words={w} id="admin.settings.verified_on" params={{ date: <Time value={merchant.verifiedAt} words={w} /> }} />
        ) : (
          w.t('admin.settings.verified_text')
        )}
      </p>
    );
  }
  if (merchant.status === 'suspended') {
    return (
      <p class="flash flash-error" id="verification">
        <strong>{w.t('admin.settings.suspended')}</strong> {w.t('admin.settings.suspended_text')}
      </p>
    );
  }
  return (
    <p class="notice" id="verification">
      <strong>{w.t('admin.settings.pending')}</strong> {w.t('admin.settings.pending_text')}
    </p>
  );
}

function SettingsForm({ settings, csrfToken, failed, words: w }: { settings: MerchantSettings; csrfToken: string; failed?: FailedForm; words: Words }) {
  const mine = failed?.form === 'settings' ? failed : undefined;
  const errors = errorsByField(mine?.problems);
  const c = settings.currency;
  const current: Record<SettingsField, string> = {
    shippingFee: toDecimalString(settings.shippingFee, c),
    taxRateBps: bpsToPercent(settings.taxRateBps),
    pricesIncludeTax: settings.pricesIncludeTax ? 'on' : '',
    paymentWindowSeconds: String(settings.paymentWindowSeconds),
    paymentCheckIntervalSeconds: String(settings.paymentCheckIntervalSeconds),
    latePaymentGraceSeconds: String(settings.latePaymentGraceSeconds),
    autoConfirm: settings.autoConfirm ? 'on' : '',
    refundWindowSeconds: String(settings.refundWindowSeconds),
    refundApprovalThreshold: toDecimalString(settings.refundApprovalThreshold, c),
    emailSenderName: settings.emailSenderName ?? '',
    emailReplyTo: settings.emailReplyTo ?? '',
    locale: settings.locale,
    timeZone: settings.timeZone,
  };
  const value = (name: SettingsField) => mine?.values[name] ?? current[name];
  const f = SETTINGS_FIELDS;
  const label = (name: SettingsField) => w.t(f[name].label);
  /** `Shipping fee (CNY)`, `Payment window (seconds)`. */
  const labelIn = (name: SettingsField, unit: string) => w.t('form.with_unit', { label: label(name), unit });
  const seconds = (name: SettingsField, hint: MessageKey & `admin.settings.${string}_hint`) => w.t('admin.settings.in_seconds', { hint: w.t(hint as PlainKey), duration: w.duration(Number(current[name])) });
  const inSeconds = w.t('form.unit.seconds');
  return (
    <form method="post" action="/admin/settings" class="stacked" id="settings-form">
      <CsrfField token={csrfToken} />
      <ErrorSummary problems={mine?.problems} words={w} />
      <p class="muted">{w.t('admin.settings.amounts_in', { currency: c })}</p>
      <Field id={f.shippingFee.id} name="shippingFee" label={labelIn('shippingFee', c)} value={value('shippingFee')} error={errors[f.shippingFee.id]} inputmode="decimal" hint={w.t('admin.settings.shipping_fee_hint')} required />
      <Field id={f.taxRateBps.id} name="taxRateBps" label={labelIn('taxRateBps', '%')} value={value('taxRateBps')} error={errors[f.taxRateBps.id]} inputmode="decimal" hint={w.t('admin.settings.tax_rate_hint')} required />
      <Checkbox id={f.pricesIncludeTax.id} name="pricesIncludeTax" label={label('pricesIncludeTax')} checked={value('pricesIncludeTax') !== ''} hint={w.t('admin.settings.prices_include_tax_hint')} />
      <Field id={f.paymentWindowSeconds.id} name="paymentWindowSeconds" label={labelIn('paymentWindowSeconds', inSeconds)} value={value('paymentWindowSeconds')} error={errors[f.paymentWindowSeconds.id]} inputmode="numeric" hint={seconds('paymentWindowSeconds', 'admin.settings.payment_window_hint')} required />
      <Field id={f.paymentCheckIntervalSeconds.id} name="paymentCheckIntervalSeconds" label={labelIn('paymentCheckIntervalSeconds', inSeconds)} value={value('paymentCheckIntervalSeconds')} error={errors[f.paymentCheckIntervalSeconds.id]} inputmode="numeric" hint={seconds('paymentCheckIntervalSeconds', 'admin.settings.check_interval_hint')} required />
      <Field id={f.latePaymentGraceSeconds.id} name="latePaymentGraceSeconds" label={labelIn('latePaymentGraceSeconds', inSeconds)} value={value('latePaymentGraceSeconds')} error={errors[f.latePaymentGraceSeconds.id]} inputmode="numeric" hint={seconds('latePaymentGraceSeconds', 'admin.settings.late_grace_hint')} required />
      <Checkbox id={f.autoConfirm.id} name="autoConfirm" label={label('autoConfirm')} checked={value('autoConfirm') !== ''} hint={w.t('admin.settings.auto_confirm_hint')} />
      <Field id={f.refundWindowSeconds.id} name="refundWindowSeconds" label={labelIn('refundWindowSeconds', inSeconds)} value={value('refundWindowSeconds')} error={errors[f.refundWindowSeconds.id]} inputmode="numeric" hint={seconds('refundWindowSeconds', 'admin.settings.refund_window_hint')} required />
      <Field id={f.refundApprovalThreshold.id} name="refundApprovalThreshold" label={labelIn('refundApprovalThreshold', c)} value={value('refundApprovalThreshold')} error={errors[f.refundApprovalThreshold.id]} inputmode="decimal" hint={w.t('admin.settings.refund_threshold_hint')} required />
      <Field id={f.emailSenderName.id} name="emailSenderName" label={label('emailSenderName')} value={value('emailSenderName')} error={errors[f.emailSenderName.id]} hint={w.t('admin.settings.email_sender_name_hint')} maxlength={100} />
      <Field id={f.emailReplyTo.id} name="emailReplyTo" label={label('emailReplyTo')} value={value('emailReplyTo')} error={errors[f.emailReplyTo.id]} type="email" hint={w.t('admin.settings.email_reply_to_hint')} maxlength={254} />
      <div class="field">
        <label for={f.locale.id}>{label('locale')}</label>
        <span class="hint" id={`${f.locale.id}-hint`}>
          {w.t('admin.settings.locale_hint')}
        </span>
        <select id={f.locale.id} name="locale" aria-describedby={`${f.locale.id}-hint`}>
          {LOCALES.map((locale) => (
            <option value={locale} selected={value('locale') === locale} lang={locale}>
              {CATALOGS[locale]['locale.name']}
            </option>
          ))}
        </select>
      </div>
      <Field id={f.timeZone.id} name="timeZone" label={label('timeZone')} value={value('timeZone')} error={errors[f.timeZone.id]} hint={w.t('admin.settings.time_zone_hint')} required maxlength={64} />
      <div>
        <button type="submit">{w.t('admin.settings.save')}</button>
      </div>
    </form>
  );
}

function ProductForms({ products, currency, csrfToken, failed, words: w }: { products: Product[]; currency: string; csrfToken: string; failed?: FailedForm; words: Words }) {
  const added = failed?.form === 'product-new' ? failed : undefined;
  const addErrors = errorsByField(added?.problems);
  const nf = productFields('product-new');
  return (
    <>
      {products.length === 0 ? (
        <p>{w.t('admin.products.none')}</p>
      ) : (
        <div class="grid">
          {products.map((product) => {
            const prefix = `product-${product.sku}`;
            const mine = failed?.form === prefix ? failed : undefined;
            const errors = errorsByField(mine?.problems);
            const pf = productFields(prefix);
            return (
              <form method="post" action={`/admin/settings/products/${encodeURIComponent(product.sku)}`} class="card stacked" id={prefix}>
                <CsrfField token={csrfToken} />
                <h3>
                  <span class="mono">{product.sku}</span> · <span class="amount">{money(product.unitAmount, product.currency)}</span>{' '}
                  <span class={`badge ${product.active ? 'badge-good' : 'badge-neutral'}`}>{w.t(product.active ? 'admin.products.on_sale' : 'admin.products.not_on_sale')}</span>
                </h3>
                <ErrorSummary problems={mine?.problems} id={`${prefix}-errors`} words={w} />
                <Field id={pf.name.id} name="name" label={w.t(pf.name.label)} value={mine?.values.name ?? product.name} error={errors[pf.name.id]} required maxlength={200} />
                <Field id={pf.unitAmount.id} name="unitAmount" label={w.t('form.with_unit', { label: w.t(pf.unitAmount.label), unit: product.currency })} value={mine?.values.unitAmount ?? toDecimalString(product.unitAmount, product.currency)} error={errors[pf.unitAmount.id]} inputmode="decimal" required />
                <Checkbox id={pf.active.id} name="active" label={w.t(pf.active.label)} checked={mine ? mine.values.active !== '' : product.active} />
                <div>
                  <button type="submit">{w.t('admin.products.save', { sku: product.sku })}</button>
                </div>
              </form>
            );
          })}
        </div>
      )}
      <h3 id="add-product">{w.t('admin.products.add_heading')}</h3>
      <form method="post" action="/admin/settings/products" class="card stacked" id="product-new">
        <CsrfField token={csrfToken} />
        <ErrorSummary problems={added?.problems} id="product-new-errors" words={w} />
        <Field id={nf.sku.id} name="sku" label={w.t(nf.sku.label)} value={added?.values.sku} error={addErrors[nf.sku.id]} hint={w.t('admin.products.sku_hint')} required maxlength={64} />
        <Field id={nf.name.id} name="name" label={w.t(nf.name.label)} value={added?.values.name} error={addErrors[nf.name.id]} required maxlength={200} />
        <Field id={nf.unitAmount.id} name="unitAmount" label={w.t('form.with_unit', { label: w.t(nf.unitAmount.label), unit: currency })} value={added?.values.unitAmount} error={addErrors[nf.unitAmount.id]} inputmode="decimal" hint={w.t('admin.products.price_hint')} required />
        <Checkbox id={nf.active.id} name="active" label={w.t(nf.active.label)} checked={added ? added.values.active !== '' : true} />
        <div>
          <button type="submit">{w.t('admin.products.add')}</button>
        </div>
      </form>
    </>
  );
}

function GatewayForms({ merchant, configured, csrfToken, failed, words: w }: { merchant: Merchant; configured: GatewayName[]; csrfToken: string; failed?: FailedForm; words: Words }) {
  return (
    <div class="grid">
      {GATEWAY_FORMS.map((gateway) => {
        const isConfigured = configured.includes(gateway.gateway);
        const mine = failed?.form === `gateway-${gateway.gateway}` ? failed : undefined;
        const errors = errorsByField(mine?.problems);
        const headingId = `gateway-${gateway.gateway}-heading`;
        return (
          <section class="card" aria-labelledby={headingId} id={`gateway-${gateway.gateway}`}>
            <h3 id={headingId}>
              {gatewayName(gateway.gateway, w)}{' '}
              {gateway.fields ? (
                <span class={`badge ${isConfigured ? 'badge-good' : 'badge-neutral'}`}>{w.t(isConfigured ? 'admin.gateways.configured' : 'admin.gateways.not_configured')}</span>
              ) : (
                <span class="badge badge-good">{w.t('admin.gateways.built_in')}</span>
              )}
            </h3>
            {!gateway.fields ? (
              <p>{w.t('admin.gateways.sandbox')}</p>
            ) : (
              <form method="post" action={`/admin/settings/gateways/${gateway.gateway}`} class="stacked" autocomplete="off">
                <CsrfField token={csrfToken} />
                <ErrorSummary problems={mine?.problems} id={`gateway-${gateway.gateway}-errors`} words={w} />
                {merchant.status !== 'active' && <p class="hint">{w.t('admin.gateways.after_verification')}</p>}
                <p class="hint">
                  {w.t('admin.gateways.write_only')} {isConfigured ? w.t('admin.gateways.replaces') : ''}
                </p>
                {gateway.fields.map((credential) => {
                  const id = gatewayFieldId(gateway.gateway, credential.name);
                  const multiline = credential.kind === 'pem';
                  return (
                    <Field
                      id={id}
                      name={credential.name}
                      label={credentialLabel(gateway.gateway, credential, w)}
                      hint={credentialHint(gateway.gateway, credential, w, merchant.id)}
                      error={errors[id]}
                      type={multiline ? undefined : 'password'}
                      multiline={multiline}
                      autocomplete={multiline ? 'off' : 'new-password'}
                      maxlength={MAX_CREDENTIAL_LENGTH}
                      required
                    />
                  );
                })}
                <div>
                  <button type="submit">
                    {w.t(isConfigured ? 'admin.gateways.replace' : 'admin.gateways.save', { gateway: gatewayName(gateway.gateway, w) })}
                  </button>
                </div>
              </form>
            )}
          </section>
        );
      })}
    </div>
  );
}

export function SettingsPage(props: SettingsPageProps) {
  const { merchant, settings, products, configured, flash, failed, csrfToken, words: w } = props;
  return (
    <AdminLayout {...props} title={w.t('admin.settings')} current="settings">
      <h1>{w.t('admin.settings')}</h1>
      <FlashMessage flash={flash} />
      <VerificationNotice merchant={merchant} words={w} />

      <section class="card" aria-labelledby="merchant-heading">
        <h2 id="merchant-heading">{w.t('admin.settings.merchant')}</h2>
        <dl class="facts">
          <dt>{w.t('field.name')}</dt>
          <dd>{merchant.name}</dd>
          <dt>{w.t('admin.settings.contact_email')}</dt>
          <dd>{merchant.contactEmail}</dd>
          <dt>{w.t('admin.settings.contact_phone')}</dt>
          <dd>{merchant.contactPhone ?? '—'}</dd>
          <dt>{w.t('admin.settings.licence')}</dt>
          <dd class="mono">{merchant.businessLicenceNo}</dd>
          <dt>{w.t('admin.settings.tax_no')}</dt>
          <dd class="mono">{merchant.taxRegistrationNo}</dd>
          <dt>{w.t('admin.settings.verification')}</dt>
          <dd>
            <StatusBadge status={merchant.status} words={w} /> {merchant.verifiedAt && <Time value={merchant.verifiedAt} words={w} />}
          </dd>
          <dt>{w.t('field.currency')}</dt>
          <dd>{settings.currency}</dd>
        </dl>
        <p class="hint">{w.t('admin.settings.operator')}</p>
      </section>

      <section class="card" aria-labelledby="orders-settings-heading">
        <h2 id="orders-settings-heading">{w.t('admin.settings.orders')}</h2>
        <SettingsForm settings={settings} csrfToken={csrfToken} failed={failed} words={w} />
      </section>

      <section aria-labelledby="products-heading">
        <h2 id="products-heading">{w.t('admin.products')}</h2>
        <ProductForms products={products} currency={settings.currency} csrfToken={csrfToken} failed={failed} words={w} />
      </section>

      <section aria-labelledby="gateways-heading">
        <h2 id="gateways-heading">{w.t('admin.gateways')}</h2>
        <GatewayForms merchant={merchant} configured={configured} csrfToken={csrfToken} failed={failed} words={w} />
      </section>
      <WebhookEndpointsSection endpoints={props.webhookEndpoints} csrfToken={csrfToken} words={w} />
      <p class="muted">
        <Message words={w} id="admin.settings.account" params={{ status: w.t(`badge.${merchant.status}`), id: <span class="mono">{merchant.id}</span> }} />
      </p>
    </AdminLayout>
  );
}
