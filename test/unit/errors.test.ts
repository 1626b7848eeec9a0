import { describe, expect, it } from 'vitest';
import {
  AppError,
  addFieldError,
  ERROR_STATUS,
  type ErrorKind,
  type FieldErrors,
  statusOf,
} from '../../src/errors.ts';

const KINDS = Object.keys(ERROR_STATUS) as ErrorKind[];

describe('statusOf', () => {
  it.each([
    ['bad_request', 400],
    ['unauthorized', 401],
    ['forbidden', 403],
    ['not_found', 404],
    ['method_not_allowed', 405],
    ['request_timeout', 408],
    ['conflict', 409],
    ['gone', 410],
    ['payload_too_large', 413],
    ['unsupported_media_type', 415],
    ['too_many_requests', 429],
    ['header_fields_too_large', 431],
    ['internal', 500],
    ['unavailable', 503],
  ] as [ErrorKind, number][])('answers %s with %i', (kind, status) => {
    expect(statusOf(kind)).toBe(status);
  });

  it('gives every kind an error status of its own', () => {
    const statuses = KINDS.map(statusOf);
    expect(new Set(statuses).size).toBe(KINDS.length);
    for (const status of statuses) expect(status >= 400 && status <= 599).toBe(true);
  });
});

describe('AppError', () => {
  it.each(KINDS)('carries the status of %s', (kind) => {
    const error = new AppError(kind, { detail: 'x' });
    expect(error.statusCode).toBe(statusOf(kind));
    expect(error.kind).toBe(kind);
    expect(error).toBeInstanceOf(Error);
  });

  it('answers {"detail"} with the headers given', () => {
    const error = AppError.detail('too_many_requests', 'Slow down.', { 'Retry-After': '7' });
    expect(error.statusCode).toBe(429);
    expect(error.body).toEqual({ detail: 'Slow down.' });
    expect(error.headers).toEqual({ 'Retry-After': '7' });
    expect(error.message).toBe('Slow down.');
  });

  it('has no extra headers unless given', () => {
    expect(AppError.detail('conflict', 'Taken.').headers).toEqual({});
    expect(new AppError('gone', { detail: 'Gone.' }).headers).toEqual({});
  });

  it('answers not found with 404 "Not found."', () => {
    const error = AppError.notFound();
    expect(error.statusCode).toBe(404);
    expect(error.body).toEqual({ detail: 'Not found.' });
  });

  it('answers a bad request with 400 and its detail', () => {
    const error = AppError.badRequest('Nope.');
    expect(error.statusCode).toBe(400);
    expect(error.body).toEqual({ detail: 'Nope.' });
  });

  it('answers field errors with 400 and the tree as the body', () => {
    const tree = { email: ['Enter a valid email address.'], address: { zip: ['This field is required.'] } };
    const error = AppError.fields(tree);
    expect(error.statusCode).toBe(400);
    expect(error.body).toEqual(tree);
    expect(JSON.parse(error.message)).toEqual(tree);
  });

  it('answers one field error with 400 and a one-message list', () => {
    const error = AppError.field('cursor', 'Invalid cursor.');
    expect(error.statusCode).toBe(400);
    expect(error.body).toEqual({ cursor: ['Invalid cursor.'] });
  });
});

describe('addFieldError', () => {
  it('puts an error about the body as a whole under non_field_errors', () => {
    const tree: FieldErrors = {};
    addFieldError(tree, [], 'Invalid data.');
    expect(tree).toEqual({ non_field_errors: ['Invalid data.'] });
  });

  it('puts a field error under its name', () => {
    const tree: FieldErrors = {};
    addFieldError(tree, ['email'], 'Enter a valid email address.');
    expect(tree).toEqual({ email: ['Enter a valid email address.'] });
  });

  it('nests the errors of nested fields, merging siblings', () => {
    const tree: FieldErrors = {};
    addFieldError(tree, ['user', 'address', 'zip'], 'This field is required.');
    addFieldError(tree, ['user', 'address', 'city'], 'Not a valid string.');
    addFieldError(tree, ['user', 'email'], 'Enter a valid email address.');
    addFieldError(tree, ['phone'], 'This field may not be blank.');
    expect(tree).toEqual({
      user: {
        address: { zip: ['This field is required.'], city: ['Not a valid string.'] },
        email: ['Enter a valid email address.'],
      },
      phone: ['This field may not be blank.'],
    });
  });

  it('lists several messages of a field in order, each once', () => {
    const tree: FieldErrors = {};
    addFieldError(tree, ['name'], 'Too long.');
    addFieldError(tree, ['name'], 'Not allowed.');
    addFieldError(tree, ['name'], 'Too long.');
    addFieldError(tree, [], 'Bad.');
    addFieldError(tree, [], 'Bad.');
    addFieldError(tree, ['a', 'b'], 'Bad.');
    addFieldError(tree, ['a', 'b'], 'Bad.');
    expect(tree).toEqual({
      name: ['Too long.', 'Not allowed.'],
      non_field_errors: ['Bad.'],
      a: { b: ['Bad.'] },
    });
  });

  it('adds nothing inside a field already wrong as a whole', () => {
    const tree: FieldErrors = {};
    addFieldError(tree, ['user'], 'Expected a dictionary of items but got type "str".');
    addFieldError(tree, ['user', 'email'], 'This field is required.');
    expect(tree).toEqual({ user: ['Expected a dictionary of items but got type "str".'] });
  });
});
