/**
 * The demo store's product page: the route a storefront actually has, reading the churn
 * assessment (`res.locals.churn`, put there by `plugin.scoreRoute()`) to decide whether
 * to show a retention offer. It also renders without the plugin, which is what the HTTP
 * benchmark compares against.
 */
import type { Request, Response } from 'express';

interface Product {
  name: string;
  price: number;
  blurb: string;
}

/** A small fixed catalogue: the demo is about the offer, not the shop. */
export const CATALOGUE: Readonly<Record<string, Product>> = {
  'p-100': { name: 'Trail running shoes', price: 89.9, blurb: 'Grippy sole, light upper, made for muddy mornings.' },
  'p-200': { name: 'Espresso grinder', price: 149, blurb: 'Forty grind settings and a burr that lasts.' },
  'p-300': { name: 'Linen bedding set', price: 119, blurb: 'Washed linen that gets softer every week.' },
  'p-400': { name: 'Noise-cancelling headphones', price: 229, blurb: 'Thirty hours of quiet on one charge.' },
};

const OFFER_TEXT: Readonly<Record<string, string>> = {
  coupon: 'Welcome back: 10 € off this order with code STAYWITHUS.',
  care_call: 'Anything we can help with? Our team will give you a call.',
  email: 'We have saved this item to your wish list and will email you if the price drops.',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
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
  const id = String(req.params.id);
  const product = CATALOGUE[id];
  if (!product) {
    res.status(404).type('text/plain').send(`no product "${id}"; try one of ${Object.keys(CATALOGUE).join(', ')}`);
    return;
  }
  const churn = res.locals.churn;
  const action = churn?.status === 'ok' ? churn.action : null;
  const offer = action ? `<aside class="offer" data-action="${escapeHtml(action.name)}">${escapeHtml(OFFER_TEXT[action.name] ?? action.name)}</aside>` : '';
  res.type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(product.name)}</title></head>
<body><h1>${escapeHtml(product.name)}</h1><p>${escapeHtml(product.blurb)}</p><p>${product.price.toFixed(2)} €</p>${offer}</body></html>`);
}
