import type { Merchant, MerchantSettings } from '../../../db/merchants.js';
import type { Product } from '../../../db/products.js';
import { toDecimalString } from '../../../domain/money.js';
import type { GatewayName } from '../../../domain/gateways.js';
import { humanize, money } from '../../shared/format.js';
import { StatusBadge, Time } from '../../shared/ui.js';
import { bpsToPercent, type Problem } from '../forms.js';
import { MAX_CREDENTIAL_LENGTH } from '../../../gateways/credentials.js';
import { GATEWAY_FORMS } from '../gateway-fields.js';
import { describeSeconds, gatewayFieldId, productFields, SETTINGS_FIELDS, type SettingsField } from '../settings-fields.js';
import type { Flash } from '../session.js';
import type { EndpointView } from '../../../services/merchant-webhooks.js';
import { WebhookEndpointsSection } from './webhooks.js';
import { LOCALES } from '../../../core/i18n/locales.js';
import { CATALOGS, type Words } from '../../../core/i18n/messages.js';
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

function VerificationNotice({ merchant, words }: { merchant: Merchant; words: Words }) {
  if (merchant.status === 'active') {
    return (
      <p class="flash flash-success" id="verification">
        <strong>Verified.</strong> Your business licence and tax registration were checked
        {merchant.verifiedAt ? (
          <>
            {' '}
            on <Time value={merchant.verifiedAt} words={words} />
          </>
        ) : null}
        . All configured gateways can take payments.
      </p>
    );
  }
  if (merchant.status === 'suspended') {
    return (
      <p class="flash flash-error" id="verification">
        <strong>Suspended.</strong> This account cannot take payments. Contact the platform operator.
      </p>
    );
  }
  return (
    <p class="notice" id="verification">
      <strong>Pending verification.</strong> Until the platform operator has checked your business licence and tax registration, only
      the sandbox gateway can take (simulated) payments.
    </p>
  );
}

function SettingsForm({ settings, csrfToken, failed }: { settings: MerchantSettings; csrfToken: string; failed?: FailedForm }) {
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
  const seconds = (name: SettingsField, text: string) => `${text} In seconds; now ${describeSeconds(Number(current[name]))}.`;
  return (
    <form method="post" action="/admin/settings" class="stacked" id="settings-form">
      <CsrfField token={csrfToken} />
      <ErrorSummary problems={mine?.problems} />
      <p class="muted">Amounts are in {c}. Orders already placed keep the settings they were placed with.</p>
      <Field id={f.shippingFee.id} name="shippingFee" label={`${f.shippingFee.label} (${c})`} value={value('shippingFee')} error={errors[f.shippingFee.id]} inputmode="decimal" hint="Added to every order." required />
      <Field id={f.taxRateBps.id} name="taxRateBps" label={`${f.taxRateBps.label} (%)`} value={value('taxRateBps')} error={errors[f.taxRateBps.id]} inputmode="decimal" hint="Of the subtotal, e.g. 6 or 6.25." required />
      <Checkbox id={f.pricesIncludeTax.id} name="pricesIncludeTax" label={f.pricesIncludeTax.label} checked={value('pricesIncludeTax') !== ''} hint="Customers pay the prices as shown and see the tax they include; otherwise tax is added on top." />
      <Field id={f.paymentWindowSeconds.id} name="paymentWindowSeconds" label={`${f.paymentWindowSeconds.label} (seconds)`} value={value('paymentWindowSeconds')} error={errors[f.paymentWindowSeconds.id]} inputmode="numeric" hint={seconds('paymentWindowSeconds', 'How long a customer has to pay.')} required />
      <Field id={f.paymentCheckIntervalSeconds.id} name="paymentCheckIntervalSeconds" label={`${f.paymentCheckIntervalSeconds.label} (seconds)`} value={value('paymentCheckIntervalSeconds')} error={errors[f.paymentCheckIntervalSeconds.id]} inputmode="numeric" hint={seconds('paymentCheckIntervalSeconds', 'How often the gateway is asked while waiting; at most the payment window.')} required />
      <Field id={f.latePaymentGraceSeconds.id} name="latePaymentGraceSeconds" label={`${f.latePaymentGraceSeconds.label} (seconds)`} value={value('latePaymentGraceSeconds')} error={errors[f.latePaymentGraceSeconds.id]} inputmode="numeric" hint={seconds('latePaymentGraceSeconds', 'How long after the window a late payment is still matched (and refunded).')} required />
      <Checkbox id={f.autoConfirm.id} name="autoConfirm" label={f.autoConfirm.label} checked={value('autoConfirm') !== ''} hint="Otherwise each paid order waits for you to confirm it." />
      <Field id={f.refundWindowSeconds.id} name="refundWindowSeconds" label={`${f.refundWindowSeconds.label} (seconds)`} value={value('refundWindowSeconds')} error={errors[f.refundWindowSeconds.id]} inputmode="numeric" hint={seconds('refundWindowSeconds', 'After delivery, how long refunds may be requested before the order completes.')} required />
      <Field id={f.refundApprovalThreshold.id} name="refundApprovalThreshold" label={`${f.refundApprovalThreshold.label} (${c})`} value={value('refundApprovalThreshold')} error={errors[f.refundApprovalThreshold.id]} inputmode="decimal" hint="A customer's refund above this amount waits for your approval (after shipping, every refund does)." required />
      <Field id={f.emailSenderName.id} name="emailSenderName" label={f.emailSenderName.label} value={value('emailSenderName')} error={errors[f.emailSenderName.id]} hint="The name customers see on order e-mails; empty: your business name." maxlength={100} />
      <Field id={f.emailReplyTo.id} name="emailReplyTo" label={f.emailReplyTo.label} value={value('emailReplyTo')} error={errors[f.emailReplyTo.id]} type="email" hint="Where customers' replies go; empty: your contact e-mail." maxlength={254} />
      <div class="field">
        <label for={f.locale.id}>{f.locale.label}</label>
        <span class="hint" id={`${f.locale.id}-hint`}>
          The customer's pages use it when the shopper's browser asks for no language Paystead has.
        </span>
        <select id={f.locale.id} name="locale" aria-describedby={`${f.locale.id}-hint`}>
          {LOCALES.map((locale) => (
            <option value={locale} selected={value('locale') === locale} lang={locale}>
              {CATALOGS[locale]['locale.name']}
            </option>
          ))}
        </select>
      </div>
      <Field id={f.timeZone.id} name="timeZone" label={f.timeZone.label} value={value('timeZone')} error={errors[f.timeZone.id]} hint="The pages show times in this zone: an IANA name such as Asia/Shanghai." required maxlength={64} />
      <div>
        <button type="submit">Save settings</button>
      </div>
    </form>
  );
}

function ProductForms({ products, currency, csrfToken, failed }: { products: Product[]; currency: string; csrfToken: string; failed?: FailedForm }) {
  const added = failed?.form === 'product-new' ? failed : undefined;
  const addErrors = errorsByField(added?.problems);
  const nf = productFields('product-new');
  return (
    <>
      {products.length === 0 ? (
        <p>No products yet.</p>
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
                  <span class={`badge ${product.active ? 'badge-good' : 'badge-neutral'}`}>{product.active ? 'On sale' : 'Not on sale'}</span>
                </h3>
                <ErrorSummary problems={mine?.problems} id={`${prefix}-errors`} />
                <Field id={pf.name.id} name="name" label={pf.name.label} value={mine?.values.name ?? product.name} error={errors[pf.name.id]} required maxlength={200} />
                <Field id={pf.unitAmount.id} name="unitAmount" label={`${pf.unitAmount.label} (${product.currency})`} value={mine?.values.unitAmount ?? toDecimalString(product.unitAmount, product.currency)} error={errors[pf.unitAmount.id]} inputmode="decimal" required />
                <Checkbox id={pf.active.id} name="active" label={pf.active.label} checked={mine ? mine.values.active !== '' : product.active} />
                <div>
                  <button type="submit">Save {product.sku}</button>
                </div>
              </form>
            );
          })}
        </div>
      )}
      <h3 id="add-product">Add a product</h3>
      <form method="post" action="/admin/settings/products" class="card stacked" id="product-new">
        <CsrfField token={csrfToken} />
        <ErrorSummary problems={added?.problems} id="product-new-errors" />
        <Field id={nf.sku.id} name="sku" label={nf.sku.label} value={added?.values.sku} error={addErrors[nf.sku.id]} hint="Letters, digits, dot, dash and underscore; cannot change later." required maxlength={64} />
        <Field id={nf.name.id} name="name" label={nf.name.label} value={added?.values.name} error={addErrors[nf.name.id]} required maxlength={200} />
        <Field id={nf.unitAmount.id} name="unitAmount" label={`${nf.unitAmount.label} (${currency})`} value={added?.values.unitAmount} error={addErrors[nf.unitAmount.id]} inputmode="decimal" hint="For example 128.00" required />
        <Checkbox id={nf.active.id} name="active" label={nf.active.label} checked={added ? added.values.active !== '' : true} />
        <div>
          <button type="submit">Add product</button>
        </div>
      </form>
    </>
  );
}

function GatewayForms({ merchant, configured, csrfToken, failed }: { merchant: Merchant; configured: GatewayName[]; csrfToken: string; failed?: FailedForm }) {
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
              {gateway.label}{' '}
              {gateway.fields ? (
                <span class={`badge ${isConfigured ? 'badge-good' : 'badge-neutral'}`}>{isConfigured ? 'Configured' : 'Not configured'}</span>
              ) : (
                <span class="badge badge-good">Built in</span>
              )}
            </h3>
            {!gateway.fields ? (
              <p>Simulated payments for testing; nothing to configure.</p>
            ) : (
              <form method="post" action={`/admin/settings/gateways/${gateway.gateway}`} class="stacked" autocomplete="off">
                <CsrfField token={csrfToken} />
                <ErrorSummary problems={mine?.problems} id={`gateway-${gateway.gateway}-errors`} />
                {merchant.status !== 'active' && <p class="hint">Takes payments once your account is verified.</p>}
                <p class="hint">
                  Write-only: saved values are encrypted and never shown again. {isConfigured ? 'Saving replaces all of them.' : ''}
                </p>
                {gateway.fields.map((credential) => {
                  const id = gatewayFieldId(gateway.gateway, credential.name);
                  const multiline = credential.kind === 'pem';
                  return (
                    <Field
                      id={id}
                      name={credential.name}
                      label={credential.label}
                      hint={credential.hint}
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
                    {isConfigured ? 'Replace' : 'Save'} {gateway.label} credentials
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
  const { merchant, settings, products, configured, flash, failed, csrfToken } = props;
  return (
    <AdminLayout {...props} title="Settings" current="settings">
      <h1>Settings</h1>
      <FlashMessage flash={flash} />
      <VerificationNotice merchant={merchant} words={props.words} />

      <section class="card" aria-labelledby="merchant-heading">
        <h2 id="merchant-heading">Merchant</h2>
        <dl class="facts">
          <dt>Name</dt>
          <dd>{merchant.name}</dd>
          <dt>Contact email</dt>
          <dd>{merchant.contactEmail}</dd>
          <dt>Contact phone</dt>
          <dd>{merchant.contactPhone ?? '—'}</dd>
          <dt>Business licence number</dt>
          <dd class="mono">{merchant.businessLicenceNo}</dd>
          <dt>Tax registration number</dt>
          <dd class="mono">{merchant.taxRegistrationNo}</dd>
          <dt>Verification</dt>
          <dd>
            <StatusBadge status={merchant.status} words={props.words} /> {merchant.verifiedAt && <Time value={merchant.verifiedAt} words={props.words} />}
          </dd>
          <dt>Currency</dt>
          <dd>{settings.currency}</dd>
        </dl>
        <p class="hint">These details are held by the platform operator, who verifies them; ask them to change any of them.</p>
      </section>

      <section class="card" aria-labelledby="orders-settings-heading">
        <h2 id="orders-settings-heading">Orders, payments and refunds</h2>
        <SettingsForm settings={settings} csrfToken={csrfToken} failed={failed} />
      </section>

      <section aria-labelledby="products-heading">
        <h2 id="products-heading">Products</h2>
        <ProductForms products={products} currency={settings.currency} csrfToken={csrfToken} failed={failed} />
      </section>

      <section aria-labelledby="gateways-heading">
        <h2 id="gateways-heading">Payment gateways</h2>
        <GatewayForms merchant={merchant} configured={configured} csrfToken={csrfToken} failed={failed} />
      </section>
      <WebhookEndpointsSection endpoints={props.webhookEndpoints} csrfToken={csrfToken} words={props.words} />
      <p class="muted">{humanize(merchant.status)} account · merchant id <span class="mono">{merchant.id}</span></p>
    </AdminLayout>
  );
}
