/**
 * The demo store's product page: the route a storefront actually has, reading the churn
 * assessment (`res.locals.churn`, put there by `plugin.scoreRoute()`) to decide whether
 * to show a retention offer. It also renders without the plugin, which is what the HTTP
 * benchmark compares against.
 */
import type { Request, Response } from 'express';
import { formatProbability } from '../../src/explain/readable-number.js';
import type { ChurnAssessment, ChurnScore } from '../assess.js';

interface Product {
  name: string;
  price: number;
  blurb: string;
  /** A colour for the product's picture: the demo ships no images. */
  colour: string;
}

/** A small fixed catalogue: the demo is about the offer, not the shop. */
export const CATALOGUE: Readonly<Record<string, Product>> = {
  'p-100': { name: 'Trail running shoes', price: 89.9, blurb: 'Grippy sole, light upper, made for muddy mornings.', colour: '#2f9e44' },
  'p-200': { name: 'Espresso grinder', price: 149, blurb: 'Forty grind settings and a burr that lasts.', colour: '#845ef7' },
  'p-300': { name: 'Linen bedding set', price: 119, blurb: 'Washed linen that gets softer every week.', colour: '#e8590c' },
  'p-400': { name: 'Noise-cancelling headphones', price: 229, blurb: 'Thirty hours of quiet on one charge.', colour: '#1c7ed6' },
};

/** What the shopper reads: a headline and the offer itself. */
const OFFERS: Readonly<Record<string, { headline: string; text: string }>> = {
  coupon: { headline: 'Welcome back — we have missed you', text: 'Here is 10 € off this order: use code STAYWITHUS at checkout.' },
  care_call: { headline: 'Welcome back — can we help?', text: 'Our team would like to call you and hear how we can do better. Leave your number at checkout.' },
  email: { headline: 'Saved for you', text: 'We have put this item on your wish list and will email you if its price drops.' },
};

/** Reasons that raised the risk, shown under the offer: at most this many. */
const SHOWN_REASONS = 2;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * The offer banner: what the shopper is offered, and a note for whoever runs the demo on why
 * the policy chose it (the churn risk, the reasons that raised it, the decision's ranking).
 */
function offerBanner(churn: ChurnScore): string {
  const action = churn.action!;
  const offer = OFFERS[action.name] ?? { headline: 'A little something for you', text: action.name };
  const raised = churn.reasons.filter((reason) => reason.contribution > 0).slice(0, SHOWN_REASONS);
  const because = raised.length > 0 ? `: ${raised.map((reason) => reason.text).join(', ')}` : '';
  return `<aside class="offer" data-action="${escapeHtml(action.name)}" role="status">
  <strong class="offer-headline">${escapeHtml(offer.headline)}</strong>
  <p>${escapeHtml(offer.text)}</p>
  <p class="why">Why this offer: churn risk ${formatProbability(churn.probability)}${escapeHtml(because)}. Of the actions the policy may take, this one is worth most (${escapeHtml(action.explanation)}).</p>
</aside>`;
}

/** A product page as HTML, with its status: 404 with a plain-text hint for an unknown product. */
export interface ProductPage {
  status: 200 | 404;
  contentType: 'text/html; charset=utf-8' | 'text/plain; charset=utf-8';
  body: string;
}

/**
 * The product page of `id` for the shopper behind `churn` (the assessment, when scored):
 * the offer the policy chose for a known customer, else the plain page. Framework-neutral,
 * so the Express demo and the benchmarks' other servers render the same bytes.
 *
 * @example
 * const page = productPage('p-100', churn);
 * return new Response(page.body, { status: page.status, headers: { 'content-type': page.contentType } });
 */
export function productPage(id: string, churn: ChurnAssessment | undefined): ProductPage {
  const product = CATALOGUE[id];
  if (!product) {
    return { status: 404, contentType: 'text/plain; charset=utf-8', body: `no product "${id}"; try one of ${Object.keys(CATALOGUE).join(', ')}` };
  }
  const offer = churn?.status === 'ok' && churn.action ? offerBanner(churn) : '';
  const shopper = churn?.customerId ?? null;
  const query = shopper === null ? '' : `?customer=${encodeURIComponent(shopper)}`;
  const others = Object.entries(CATALOGUE)
    .filter(([otherId]) => otherId !== id)
    .map(([otherId, other]) => `<li><a href="/products/${otherId}${escapeHtml(query)}">${escapeHtml(other.name)}</a></li>`)
    .join('');
  return {
    status: 200,
    contentType: 'text/html; charset=utf-8',
    body: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(product.name)} · Fernhill Goods</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="/static/shop.css"></head>
<body>
<header class="shop-header"><a class="brand" href="/products/p-100${escapeHtml(query)}">Fernhill Goods</a>
<span class="shopper">${shopper === null ? 'Browsing anonymously' : `Signed in as <b><bdi class="customer-id">${escapeHtml(shopper)}</bdi></b>`}</span>
<a class="dashboard-link" href="/">Churn dashboard</a></header>
<main class="product">
${offer}
<div class="picture" style="background:${product.colour}" aria-hidden="true"></div>
<section class="details"><h1>${escapeHtml(product.name)}</h1><p class="blurb">${escapeHtml(product.blurb)}</p>
<p class="price">${product.price.toFixed(2)} €</p><button type="button" class="buy">Add to cart</button></section>
<nav class="more" aria-label="More products"><h2>More from the shop</h2><ul>${others}</ul></nav>
</main>
</body></html>`,
  };
}

/**
 * GET /products/:id. With the assessment in `res.locals.churn` and a known customer,
 * shows the offer the policy chose; without it (or when scoring is unavailable) shows
 * the plain page. Synchronous: the assessment is already there.
 *
 * @example
 * app.get('/products/:id', plugin.scoreRoute(), renderProductPage);
 */
export function renderProductPage(req: Request, res: Response): void {
  const page = productPage(String(req.params.id), res.locals.churn);
  res.status(page.status).type(page.contentType).send(page.body);
}
