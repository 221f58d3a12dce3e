// Settings: the merchant's details (read-only), order/payment/refund settings, products and gateway
// credentials. Input is validated by the same schemas and rules as the JSON API (`/v1/admin/settings`,
// `/v1/admin/products`); credentials are write-only.
import type { Hono } from 'hono';
import { ApiError } from '../../core/errors.js';
import { configuredGateways, saveGatewayCredentials } from '../../db/gateway-credentials.js';
import { getMerchant, getSettings } from '../../db/merchants.js';
import { listProducts } from '../../db/products.js';
import { hasCredentialFields } from '../../domain/gateways.js';
import { MAX_CREDENTIAL_LENGTH, readCredentials } from '../../gateways/credentials.js';
import { addProduct, changeProduct, NewProductSchema, ProductPatchSchema } from '../../services/catalog.js';
import { listEndpoints } from '../../services/merchant-webhooks.js';
import { changeSettings, SettingsPatchSchema } from '../../services/settings.js';
import { money } from '../shared/format.js';
import { chrome, pageWords, redirectWithFlash, sessionOf, type AdminContext, type AdminEnv, type AdminPagesDeps } from './context.js';
import { checked, describeIssues, field, parseMoney, parsePercent, parseWhole, type FormBody, type Problem } from './forms.js';
import { credentialLabel, GATEWAY_FORMS, gatewayName } from './gateway-fields.js';
import { refusalWords } from './refusal-words.js';
import { gatewayFieldId, productFields, SETTINGS_FIELDS } from './settings-fields.js';
import { SettingsPage, type FailedForm } from './views/settings.js';

/** The raw text of the named fields, to show again next to the problems (never used for credentials). */
const echo = (body: FormBody, names: readonly string[]) => Object.fromEntries(names.map((name) => [name, field(body, name)]));

export function registerSettingsPages(admin: Hono<AdminEnv>, deps: AdminPagesDeps): void {
  const { db, config } = deps;

  async function page(c: AdminContext, failed?: FailedForm, status: 200 | 400 | 409 | 422 = 200) {
    const merchantId = sessionOf(c).merchantId;
    const [merchant, settings, products, configured, webhookEndpoints] = await Promise.all([
      getMerchant(db, merchantId),
      getSettings(db, merchantId),
      listProducts(db, merchantId),
      configuredGateways(db, merchantId, sessionOf(c).mode),
      listEndpoints(deps, sessionOf(c)),
    ]);
    if (!merchant) throw new Error(`merchant ${merchantId} vanished`);
    const flash = failed ? undefined : await deps.sessions.takeFlash(sessionOf(c), c.req.query('flash'));
    return c.html(<SettingsPage {...chrome(c)} merchant={merchant} settings={settings} products={products} configured={configured} webhookEndpoints={webhookEndpoints} flash={flash} failed={failed} />, status);
  }

  /** Renders the page again with the problems, or runs `save` and redirects with its message. */
  async function submit(c: AdminContext, form: FailedForm['form'], values: Record<string, string>, problems: Problem[], save: () => Promise<string>, fragment: string) {
    if (problems.length) return page(c, { form, problems, values }, 400);
    try {
      const message = await save();
      return await redirectWithFlash(c, deps, '/admin/settings', { kind: 'success', message }, fragment);
    } catch (error) {
      if (error instanceof SaveRejected) return page(c, { form, problems: error.problems, values }, error.status);
      throw error;
    }
  }

  admin.get('/settings', (c) => page(c));

  admin.post('/settings', async (c) => {
    const body = await c.req.parseBody();
    const w = pageWords(c);
    const merchantId = sessionOf(c).merchantId;
    const { currency } = await getSettings(db, merchantId);
    const f = SETTINGS_FIELDS;
    const problems: Problem[] = [];
    const input = {
      shippingFee: parseMoney(field(body, 'shippingFee'), currency, f.shippingFee, problems, w),
      taxRateBps: parsePercent(field(body, 'taxRateBps'), f.taxRateBps, problems, w),
      pricesIncludeTax: checked(body, 'pricesIncludeTax'),
      paymentWindowSeconds: parseWhole(field(body, 'paymentWindowSeconds'), f.paymentWindowSeconds, problems, w),
      paymentCheckIntervalSeconds: parseWhole(field(body, 'paymentCheckIntervalSeconds'), f.paymentCheckIntervalSeconds, problems, w),
      latePaymentGraceSeconds: parseWhole(field(body, 'latePaymentGraceSeconds'), f.latePaymentGraceSeconds, problems, w),
      autoConfirm: checked(body, 'autoConfirm'),
      refundWindowSeconds: parseWhole(field(body, 'refundWindowSeconds'), f.refundWindowSeconds, problems, w),
      refundApprovalThreshold: parseMoney(field(body, 'refundApprovalThreshold'), currency, f.refundApprovalThreshold, problems, w),
      emailSenderName: field(body, 'emailSenderName').trim() || null,
      emailReplyTo: field(body, 'emailReplyTo').trim() || null,
      // Absent from a form made before these fields existed: left as they are.
      ...(field(body, 'locale') && { locale: field(body, 'locale') }),
      ...(field(body, 'timeZone') && { timeZone: field(body, 'timeZone').trim() }),
    };
    const parsed = problems.length ? undefined : SettingsPatchSchema.safeParse(input);
    if (parsed && !parsed.success) problems.push(...describeIssues(parsed.error.issues, f, currency, w));
    const values = echo(body, Object.keys(f));
    return submit(c, 'settings', values, problems, async () => {
      try {
        await changeSettings(db, merchantId, parsed!.data!);
      } catch (error) {
        if (error instanceof ApiError && error.code === 'invalid_settings') {
          throw new SaveRejected(422, [{ field: f.paymentCheckIntervalSeconds.id, message: w.t('form.interval_longer') }]);
        }
        if (error instanceof ApiError && error.status < 500) throw new SaveRejected(error.status === 409 ? 409 : 422, [{ message: refusalWords(error, w) }]);
        throw error;
      }
      return w.t('admin.settings.saved');
    }, '#orders-settings-heading');
  });

  admin.post('/settings/products', async (c) => {
    const body = await c.req.parseBody();
    const w = pageWords(c);
    const merchantId = sessionOf(c).merchantId;
    const { currency } = await getSettings(db, merchantId);
    const pf = productFields('product-new');
    const problems: Problem[] = [];
    const unitAmount = parseMoney(field(body, 'unitAmount'), currency, pf.unitAmount, problems, w);
    const parsed = NewProductSchema.safeParse({ sku: field(body, 'sku'), name: field(body, 'name'), unitAmount: unitAmount ?? 0, currency, active: checked(body, 'active') });
    if (!parsed.success) problems.push(...describeIssues(parsed.error.issues, pf, currency, w));
    return submit(c, 'product-new', echo(body, ['sku', 'name', 'unitAmount', 'active']), problems, async () => {
      try {
        const product = await addProduct(db, merchantId, parsed.data!);
        return w.t('admin.products.added', { sku: product.sku, amount: money(product.unitAmount, product.currency) });
      } catch (error) {
        if (error instanceof ApiError && error.code === 'sku_exists') throw new SaveRejected(409, [{ field: pf.sku.id, message: refusalWords(error, w) }]);
        if (error instanceof ApiError && error.status < 500) throw new SaveRejected(422, [{ message: refusalWords(error, w) }]);
        throw error;
      }
    }, '#products-heading');
  });

  admin.post('/settings/products/:sku', async (c) => {
    const body = await c.req.parseBody();
    const w = pageWords(c);
    const merchantId = sessionOf(c).merchantId;
    const sku = c.req.param('sku');
    const { currency } = await getSettings(db, merchantId);
    const prefix = `product-${sku}` as const;
    const pf = productFields(prefix);
    const problems: Problem[] = [];
    const unitAmount = parseMoney(field(body, 'unitAmount'), currency, pf.unitAmount, problems, w);
    const parsed = ProductPatchSchema.safeParse({ name: field(body, 'name'), unitAmount: unitAmount ?? 0, active: checked(body, 'active') });
    if (!parsed.success) problems.push(...describeIssues(parsed.error.issues, pf, currency, w));
    return submit(c, prefix, echo(body, ['name', 'unitAmount', 'active']), problems, async () => {
      // Another merchant's (or no) product: changeProduct's 404 becomes the not-found page.
      const product = await changeProduct(db, merchantId, sku, parsed.data!);
      return w.t('admin.products.saved', { sku: product.sku });
    }, `#${prefix}`);
  });

  admin.post('/settings/gateways/:gateway', async (c) => {
    const gateway = GATEWAY_FORMS.find((g) => g.gateway === c.req.param('gateway'));
    if (!gateway || !hasCredentialFields(gateway.gateway)) throw new ApiError(404, 'not_found', 'No such gateway.');
    const body = await c.req.parseBody();
    const w = pageWords(c);
    const merchantId = sessionOf(c).merchantId;
    const { mode } = sessionOf(c);
    const { credentials, problems: found } = readCredentials(gateway.gateway, mode, (name) => field(body, name));
    const problems: Problem[] = found.map(({ field: credential, problem }) => {
      const label = credentialLabel(gateway.gateway, credential, w);
      return {
        field: gatewayFieldId(gateway.gateway, credential.name),
        message:
          problem === 'missing' ? w.t('form.enter', { field: label })
          : problem === 'too_long' ? w.t('form.credential.too_long', { field: label, max: MAX_CREDENTIAL_LENGTH })
          : w.t('form.credential.prefix', { field: label, prefixes: new Intl.ListFormat(w.locale, { type: 'disjunction' }).format(credential.prefixes?.[mode] ?? []), mode: w.t(`admin.mode.name.${mode}`) }),
      };
    });
    // Credentials are never echoed back into the page, not even after a mistake.
    return submit(c, `gateway-${gateway.gateway}`, {}, problems, async () => {
      await saveGatewayCredentials(db, config.masterKey, merchantId, gateway.gateway, mode, credentials);
      return w.t('admin.gateways.saved', { gateway: gatewayName(gateway.gateway, w) });
    }, `#gateway-${gateway.gateway}`);
  });
}

/** A save refused by the API's rules, shown on the form like a validation problem. */
class SaveRejected extends Error {
  constructor(
    readonly status: 409 | 422,
    readonly problems: Problem[],
  ) {
    super(problems.map((p) => p.message).join(' '));
  }
}
