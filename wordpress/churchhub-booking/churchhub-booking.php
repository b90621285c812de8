<?php
/**
 * Plugin Name:       ChurchHub Booking
 * Description:       Lets visitors book time with a pastor from your site: a block and a shortcode that show your ChurchHub Booking calendar.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      7.4
 * Author:            ChurchHub Booking
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       churchhub-booking
 * Domain Path:       /languages
 *
 * @package ChurchHubBooking
 */

namespace ChurchHub\Booking;

defined( 'ABSPATH' ) || exit;

const VERSION     = '0.1.0';
const TEXT_DOMAIN = 'churchhub-booking';
const PLUGIN_FILE = __FILE__;

require_once __DIR__ . '/includes/settings.php';
require_once __DIR__ . '/includes/server-check.php';
require_once __DIR__ . '/includes/settings-page.php';
require_once __DIR__ . '/includes/attributes.php';
require_once __DIR__ . '/includes/element.php';
require_once __DIR__ . '/includes/widget-script.php';
require_once __DIR__ . '/includes/block.php';
require_once __DIR__ . '/includes/shortcode.php';

add_action( 'init', __NAMESPACE__ . '\\load_translations' );
add_action( 'init', __NAMESPACE__ . '\\register_block' );
add_action( 'init', __NAMESPACE__ . '\\register_shortcode' );
add_action( 'admin_init', __NAMESPACE__ . '\\register_settings' );
add_action( 'admin_menu', __NAMESPACE__ . '\\add_settings_page' );
add_action( 'admin_notices', __NAMESPACE__ . '\\missing_server_notice' );
add_filter( 'plugin_action_links_' . plugin_basename( __FILE__ ), __NAMESPACE__ . '\\settings_link' );

/** The Spanish (and any other bundled) translation ships in languages/. */
function load_translations() {
	load_plugin_textdomain( TEXT_DOMAIN, false, dirname( plugin_basename( PLUGIN_FILE ) ) . '/languages' );
}
