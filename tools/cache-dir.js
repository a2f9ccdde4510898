/**
 * The one place that decides where our tools keep what they build or fetch outside the repository
 * (programs, bindings, rosetta translations): $<override>, else $XDG_CACHE_HOME/s3www-eks/<name>,
 * else ~/.cache/s3www-eks/<name>. Each tool keys the files inside by the versions that decide them.
 */
const { homedir } = require('os');
const { join, resolve } = require('path');

/**
 * @param {string} name the tool's folder under s3www-eks/
 * @param {string} override the environment variable that, when set, names the folder instead
 */
function cacheDir(name, override) {
  if (process.env[override]) return resolve(process.env[override]);
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 's3www-eks', name);
}

module.exports = { cacheDir };
